/**
 * Knobs: everything a test or benchmark can turn to make the fake upstream misbehave.
 *
 * Layers, later wins: built-in defaults → server defaults → stored per-provider knobs
 * (`setKnobs` / `POST /_control/knobs/<name>`) → path knobs (`/p/<name>;k=v/...`) →
 * request headers (`x-fake-<kebab-name>: value`).
 *
 * `null` means "off" for the optional knobs, so a later layer can switch off what an
 * earlier one turned on (e.g. `x-fake-fail-status: none`).
 */
import { z } from "zod";

export interface Knobs {
  /** Delay before response headers, in ms (generation endpoints only). */
  latencyMs: number;
  /** Delay after the headers before the first stream event (non-stream: added before the body). */
  ttftMs: number;
  /** Pace of content chunks; 0 = as fast as possible. */
  tokensPerSecond: number;
  /** Number of content tokens (words like "lorem ") to generate. */
  outputTokens: number;
  /** Fixed reply text instead of lorem words; tokens = whitespace-separated words. */
  text: string | null;
  /** Respond with this HTTP status and a protocol-correct error body. */
  failStatus: number | null;
  /** Only the first N faulty calls per provider name fail; null = every call. */
  failTimes: number | null;
  /** Message used in injected errors. */
  failMessage: string | null;
  /** Adds `retry-after-ms` to injected errors so SDK retries in tests are fast. */
  retryAfterMs: number | null;
  /**
   * "before": destroy the socket without answering; "mid": destroy after some content;
   * "error" (streams): after some content, an error event in the protocol's shape (with
   * failMessage), then the stream ends; a JSON answer is cut as with "mid".
   */
  cut: "before" | "mid" | "error" | null;
  /** With cut "mid" or "error" on a stream: content chunks sent before the cut. */
  cutAfterChunks: number;
  /** Accept the request and never answer. */
  hang: boolean;
  /** Stream: send the headers, then end without any event. */
  emptyStream: boolean;
  /** Stream: the first event is an error event/chunk. */
  errorFirstEvent: boolean;
  /** Answer with this 3xx status, a Location header and a plain-text body. */
  redirectStatus: number | null;
  /** Answer 200 with an HTML body (as a misconfigured proxy in front of a provider does), stream or not. */
  garbageBody: boolean;
  /** Cached prompt tokens reported on top of the prompt estimate (Gemini: cachedContentTokenCount). */
  cachedTokens: number;
  /** Anthropic `cache_creation_input_tokens` (OpenAI: added to prompt_tokens). */
  cacheWriteTokens: number;
  /** Hidden reasoning: OpenAI `reasoning_tokens` (added to completion/output tokens), Gemini `thoughtsTokenCount`. */
  reasoningTokens: number;
  /** When set, only this API key is accepted; otherwise any non-empty key is. */
  requireKey: string | null;
  /** Generate `outputTokens` even when the request's max_tokens is smaller. */
  ignoreMaxTokens: boolean;
  /** Answer requests that carry tools with a tool call (false: always plain text, as for agent CLIs in tests). */
  toolCalls: boolean;
  /** Comma-separated model ids listed by `GET /v1/models` (and Gemini's `GET /v1beta/models`). */
  models: string;
  /**
   * Reported finish reason instead of the real one: OpenAI finish_reason, Anthropic stop_reason,
   * Gemini finishReason (e.g. SAFETY); Responses: `failed` → response.failed, anything else →
   * status incomplete with that incomplete_details.reason.
   */
  finishReason: string | null;
}

export const BUILTIN_KNOBS: Knobs = {
  latencyMs: 0,
  ttftMs: 0,
  tokensPerSecond: 0,
  outputTokens: 12,
  text: null,
  failStatus: null,
  failTimes: null,
  failMessage: null,
  retryAfterMs: null,
  cut: null,
  cutAfterChunks: 3,
  hang: false,
  emptyStream: false,
  errorFirstEvent: false,
  redirectStatus: null,
  garbageBody: false,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  requireKey: null,
  ignoreMaxTokens: false,
  toolCalls: true,
  models: "fake-model,fake-model-mini",
  finishReason: null,
};

const count = z.number().int().min(0);
const knobShape = {
  latencyMs: z.number().min(0),
  ttftMs: z.number().min(0),
  tokensPerSecond: z.number().min(0),
  outputTokens: count,
  text: z.string().nullable(),
  failStatus: z.number().int().min(100).max(599).nullable(),
  failTimes: count.nullable(),
  failMessage: z.string().nullable(),
  retryAfterMs: z.number().min(1).nullable(),
  cut: z.enum(["before", "mid", "error"]).nullable(),
  cutAfterChunks: count,
  hang: z.boolean(),
  emptyStream: z.boolean(),
  errorFirstEvent: z.boolean(),
  redirectStatus: z.number().int().min(300).max(399).nullable(),
  garbageBody: z.boolean(),
  cachedTokens: count,
  cacheWriteTokens: count,
  reasoningTokens: count,
  requireKey: z.string().nullable(),
  ignoreMaxTokens: z.boolean(),
  toolCalls: z.boolean(),
  models: z.string(),
  finishReason: z.string().nullable(),
};
// Strict so a typo in a knob name fails loudly instead of silently doing nothing.
const partialKnobsSchema = z.strictObject(knobShape).partial();

export type KnobName = keyof Knobs;
export const KNOB_NAMES = Object.keys(BUILTIN_KNOBS) as KnobName[];

export class KnobError extends Error {}

/** How a string (path, header, CLI flag) is turned into the JSON value the schema checks. */
type StringKind = "number" | "boolean" | "string";
const STRING_KIND: Record<KnobName, StringKind> = {
  latencyMs: "number",
  ttftMs: "number",
  tokensPerSecond: "number",
  outputTokens: "number",
  text: "string",
  failStatus: "number",
  failTimes: "number",
  failMessage: "string",
  retryAfterMs: "number",
  cut: "string",
  cutAfterChunks: "number",
  hang: "boolean",
  emptyStream: "boolean",
  errorFirstEvent: "boolean",
  redirectStatus: "number",
  garbageBody: "boolean",
  cachedTokens: "number",
  cacheWriteTokens: "number",
  reasoningTokens: "number",
  requireKey: "string",
  ignoreMaxTokens: "boolean",
  toolCalls: "boolean",
  models: "string",
  finishReason: "string",
};

const NULLABLE = new Set<KnobName>(KNOB_NAMES.filter((name) => BUILTIN_KNOBS[name] === null));

export function isKnobName(name: string): name is KnobName {
  return Object.hasOwn(BUILTIN_KNOBS, name);
}

export function camelToKebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function kebabToCamel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Validates a JSON object of knobs (control endpoint, `setKnobs`, server defaults). */
export function parseKnobObject(input: unknown): Partial<Knobs> {
  const result = partialKnobsSchema.safeParse(input);
  if (!result.success) throw new KnobError(`invalid knobs: ${z.prettifyError(result.error)}`);
  // Drop explicit undefineds so merging never erases a lower layer by accident.
  const out: Partial<Knobs> = {};
  for (const [key, value] of Object.entries(result.data)) {
    if (value !== undefined) Object.assign(out, { [key]: value });
  }
  return out;
}

function coerce(name: KnobName, raw: string): unknown {
  const value = raw.trim();
  if (NULLABLE.has(name) && (value === "" || value === "null" || value === "none")) return null;
  switch (STRING_KIND[name]) {
    case "number":
      return value === "" ? Number.NaN : Number(value);
    case "boolean":
      // A bare flag (`;hang`, `x-fake-hang:`) reads as true: it is what the author means.
      if (value === "" || value === "true" || value === "1" || value === "yes") return true;
      if (value === "false" || value === "0" || value === "no") return false;
      return value;
    case "string":
      return raw;
  }
}

/** Parses `[name, value]` string pairs; names may be camelCase or kebab-case. */
export function parseKnobStrings(pairs: Iterable<[string, string]>, source: string): Partial<Knobs> {
  const object: Record<string, unknown> = {};
  for (const [rawName, raw] of pairs) {
    const name = kebabToCamel(rawName);
    if (!isKnobName(name)) throw new KnobError(`unknown knob "${rawName}" in ${source}`);
    object[name] = coerce(name, raw);
  }
  return parseKnobObject(object);
}

/** `name;k=v;k=v` (one path segment, already split off) → provider name and knobs. */
export function parseProviderSegment(segment: string): { name: string; knobs: Partial<Knobs> } {
  const [rawName, ...parts] = segment.split(";");
  const name = decodeURIComponent(rawName ?? "");
  if (!name) throw new KnobError("empty provider name in /p/<name>/");
  const pairs: [string, string][] = parts
    .filter((part) => part !== "")
    .map((part) => {
      const eq = part.indexOf("=");
      return eq < 0 ? [decodeURIComponent(part), ""] : [decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1))];
    });
  return { name, knobs: parseKnobStrings(pairs, "path") };
}

/** Collects `x-fake-*` request headers. */
export function knobsFromHeaders(headers: Record<string, string | string[] | undefined>): Partial<Knobs> {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (!key.startsWith("x-fake-") || value === undefined) continue;
    pairs.push([key.slice("x-fake-".length), Array.isArray(value) ? value.join(",") : value]);
  }
  return pairs.length ? parseKnobStrings(pairs, "headers") : {};
}

export function mergeKnobs(base: Knobs, ...layers: Partial<Knobs>[]): Knobs {
  const out: Knobs = { ...base };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) Object.assign(out, { [key]: value });
    }
  }
  return out;
}

/** One line per knob, for `--help`. */
export const KNOB_HELP: Record<KnobName, string> = {
  latencyMs: "delay before response headers (ms)",
  ttftMs: "delay after headers before the first stream event (ms)",
  tokensPerSecond: "pace of content chunks (0 = as fast as possible)",
  outputTokens: "content tokens to generate (words like 'lorem ')",
  text: "fixed reply text instead of lorem words",
  failStatus: "answer with this HTTP status and a protocol error body",
  failTimes: "only the first N calls per provider name fail (default: all)",
  failMessage: "message of injected errors",
  retryAfterMs: "add retry-after-ms to injected errors",
  cut: "before | mid | error: destroy the socket before answering / mid-response; error: an error event mid-stream",
  cutAfterChunks: "content chunks sent before a 'mid' or 'error' cut (default 3)",
  hang: "accept the request and never answer",
  emptyStream: "stream: send headers, then end without events",
  errorFirstEvent: "stream: the first event is an error",
  redirectStatus: "answer with this 3xx status and a Location header",
  garbageBody: "answer 200 with an HTML body, stream or not",
  cachedTokens: "cached prompt tokens to report",
  cacheWriteTokens: "Anthropic cache_creation_input_tokens to report",
  reasoningTokens: "OpenAI reasoning_tokens / Gemini thoughtsTokenCount to report",
  requireKey: "only accept this API key",
  ignoreMaxTokens: "generate outputTokens even past max_tokens",
  toolCalls: "answer requests with tools by calling one (default true)",
  models: "comma-separated model ids for GET /v1/models and Gemini's models list",
  finishReason: "report this finish_reason / stop_reason / finishReason (Responses: incomplete reason, or failed)",
};
