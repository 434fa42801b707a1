/**
 * Reading and validating a catalog file. Errors are lines a person can act on,
 * each naming the offending path (`models[3].endpoints[0].provider: unknown provider "x"`),
 * never a stack trace.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import type { z } from "zod";
import { catalogSchema, type CatalogFile } from "./catalog-schema.ts";

// Next's server bundle has no import.meta.dirname; it runs from the project root.
export const BUILTIN_CATALOG_PATH = import.meta.dirname
  ? path.resolve(import.meta.dirname, "../../catalog/builtin.json")
  : path.resolve("catalog/builtin.json");

export type CatalogLoadResult = { ok: true; catalog: CatalogFile; source: string } | { ok: false; source: string; errors: string[] };

/** The catalog file in force: CATALOG_FILE when set (relative to `cwd`), else the built-in one. */
export function resolveCatalogPath(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): string {
  const file = env.CATALOG_FILE?.trim();
  return file ? path.resolve(cwd, file) : BUILTIN_CATALOG_PATH;
}

export function loadCatalogFile(filePath: string): CatalogLoadResult {
  let text: string;
  try {
    text = readFileSync(filePath, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (error as Error).message;
    return { ok: false, source: filePath, errors: [`cannot read the catalog file: ${reason}`] };
  }
  return parseCatalogText(text, filePath);
}

export function parseCatalogText(text: string, source: string): CatalogLoadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, source, errors: [`not valid JSON: ${describeJsonError(text)}`] };
  }
  const parsed = catalogSchema.safeParse(json, { reportInput: true });
  if (parsed.success) return { ok: true, catalog: parsed.data, source };
  return { ok: false, source, errors: formatIssues(parsed.error.issues) };
}

export function formatIssues(issues: z.core.$ZodIssue[]): string[] {
  const lines = issues.map((issue) => `${formatPath(issue.path) || "(top level)"}: ${describeIssue(issue)}`);
  return [...new Set(lines)];
}

/** `["models", 3, "endpoints", 0, "provider"]` → `models[3].endpoints[0].provider` */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((out, segment) => {
    if (typeof segment === "number") return `${out}[${segment}]`;
    return out ? `${out}.${String(segment)}` : String(segment);
  }, "");
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_type":
      return issue.input === undefined ? `required (expected ${issue.expected})` : `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(issue.input)}`;
    case "invalid_key":
      return `unknown fee item ${JSON.stringify(issue.input)}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/** JSON.parse's messages rarely say where; jsonc-parser finds the first error's offset. */
function describeJsonError(text: string): string {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (!first) return "unexpected end of input";
  const before = text.slice(0, first.offset);
  const line = before.split("\n").length;
  const column = first.offset - before.lastIndexOf("\n");
  return `${printParseErrorCode(first.error)} at line ${line}, column ${column}`;
}
