/**
 * Validating an admin edit against the whole catalog, with the catalog file's own schema,
 * so the console accepts exactly what `catalog:check` accepts: negative prices, tiers
 * that overlap or leave gaps, unknown providers and duplicate ids or aliases are refused
 * with a message on the field that caused them. Pure.
 */
import { catalogSchema, type CatalogFile, type CatalogModel } from "../catalog-schema.ts";
import { formatIssues, formatPath } from "../load-catalog.ts";
import { ValidationError } from "../../errors/validation-error.ts";

export type CatalogDocument = Pick<CatalogFile, "providers" | "models"> & Partial<Pick<CatalogFile, "$schema" | "description">>;

/**
 * Puts `input` in place of the model `replaceId` (or appends it) and validates the result.
 * The edited model is validated last, so "duplicate" and "already belongs to" issues,
 * which the schema reports on the later of two clashing entries, land on its fields.
 */
export function applyModelEdit(document: CatalogDocument, input: unknown, replaceId: string | null): { catalog: CatalogFile; model: CatalogModel } {
  const others = document.models.filter((m) => m.id !== replaceId);
  const parsed = catalogSchema.safeParse({ ...document, models: [...others, input] }, { reportInput: true });
  if (!parsed.success) {
    const editedIndex = others.length;
    const editedId = typeof input === "object" && input !== null ? (input as { id?: unknown }).id : undefined;
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const [scope, index, ...rest] = issue.path;
      const [message] = formatIssues([{ ...issue, path: [] }]).map((line) => line.replace(/^\(top level\): /, ""));
      let field: string;
      if (scope === "models" && index === editedIndex) field = rest.map(String).join(".");
      // Another model's alias equal to the new id: the id is what the admin can change.
      else if (scope === "models" && rest[0] === "aliases" && message.includes(`"${String(editedId)}" is also a model id`)) field = "id";
      else field = "";
      fields[field] ??= field === "" ? `${formatPath(issue.path)}: ${message}` : message;
    }
    throw new ValidationError(fields);
  }
  const model = parsed.data.models[parsed.data.models.length - 1];
  const position = replaceId === null ? -1 : document.models.findIndex((m) => m.id === replaceId);
  const models = position === -1 ? parsed.data.models : [...others.slice(0, position), model, ...others.slice(position)];
  return { catalog: { ...parsed.data, models }, model };
}

/** An import's lines (`models[3].endpoints[0].provider: unknown provider "x"`) as per-field messages. */
export function importErrorsToFields(lines: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of lines) {
    const split = line.indexOf(": ");
    const [field, message] = split === -1 ? ["file", line] : [line.slice(0, split), line.slice(split + 2)];
    fields[field] ??= message;
  }
  return fields;
}
