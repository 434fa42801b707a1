/**
 * JSON Schema (as Chat tools and `response_format` carry it) → the OpenAPI 3.0 subset
 * Gemini's `Schema` accepts (functionDeclarations[].parameters, generationConfig.responseSchema).
 * Gemini refuses the whole request over one keyword it does not know (additionalProperties,
 * $schema, $ref, const, …), so such keywords are left out rather than sent: the model loses a
 * constraint, the client keeps its answer. Local `$ref`s are inlined (a few levels deep), a
 * `["string","null"]` type becomes `nullable`, `const` a one-value `enum`. Pure.
 */
type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Gemini's Type enum; the canonical spelling is upper case. */
const TYPES = new Set(["string", "number", "integer", "boolean", "array", "object"]);
/** Keywords whose value is copied as it is. */
const PLAIN = [
  "format",
  "title",
  "description",
  "nullable",
  "enum",
  "maxItems",
  "minItems",
  "required",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "default",
  "example",
  "propertyOrdering",
];
const MAX_REF_DEPTH = 8;

export type SchemaContext = { root: Json; dropped: Set<string>; depth: number };

/** The Gemini form of `schema`; the names of the keywords it had to leave out go to `dropped`. */
export function toGeminiSchema(schema: unknown, dropped: Set<string> = new Set()): Json {
  return convert(schema, { root: isRecord(schema) ? schema : {}, dropped, depth: 0 });
}

function resolveRef(ref: string, ctx: SchemaContext): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = ctx.root;
  for (const segment of ref.slice(2).split("/")) node = isRecord(node) ? node[segment.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  return node;
}

function convert(schema: unknown, ctx: SchemaContext): Json {
  if (!isRecord(schema)) return {};
  if (typeof schema.$ref === "string") {
    const target = ctx.depth < MAX_REF_DEPTH ? resolveRef(schema.$ref, ctx) : undefined;
    if (target === undefined) {
      ctx.dropped.add("$ref");
      return {};
    }
    return convert({ ...target, ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$ref")) }, { ...ctx, depth: ctx.depth + 1 });
  }
  const out: Json = {};
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === "string");
  const concrete = types.filter((t) => t !== "null");
  if (types.includes("null")) out.nullable = true;
  if (concrete.length === 1 && TYPES.has(concrete[0])) out.type = concrete[0].toUpperCase();
  else if (concrete.length > 1) ctx.dropped.add("type (a union of types)");
  for (const key of PLAIN) if (schema[key] !== undefined && !(key === "nullable" && out.nullable)) out[key] = schema[key];
  if (schema.const !== undefined) out.enum = [schema.const];
  // Gemini's enum is a list of strings.
  if (Array.isArray(out.enum)) {
    if (out.enum.every((v) => typeof v === "string")) out.enum = [...out.enum];
    else {
      ctx.dropped.add("enum (values that are not strings)");
      delete out.enum;
    }
  }
  // Gemini's enum belongs to a STRING schema.
  if (Array.isArray(out.enum) && out.type === undefined) out.type = "STRING";
  if (isRecord(schema.properties)) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, value]) => [name, convert(value, ctx)]));
  if (schema.items !== undefined) out.items = convert(Array.isArray(schema.items) ? schema.items[0] : schema.items, ctx);
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
  if (variants) {
    // {anyOf: [X, {type: "null"}]} is how optional fields are often written: X, nullable.
    const nonNull = variants.filter((v) => !(isRecord(v) && v.type === "null"));
    if (nonNull.length < variants.length) out.nullable = true;
    if (nonNull.length === 1 && Object.keys(out).every((key) => key === "nullable" || key === "description" || key === "title"))
      Object.assign(out, convert(nonNull[0], ctx), out.nullable ? { nullable: true } : {});
    else out.anyOf = nonNull.map((v) => convert(v, ctx));
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) Object.assign(out, convert(schema.allOf[0], ctx));
  const known = new Set([...PLAIN, "type", "const", "properties", "items", "anyOf", "oneOf", "$ref", "$defs", "definitions", "$schema", "$id", "$comment"]);
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) known.add("allOf");
  for (const key of Object.keys(schema)) if (!known.has(key)) ctx.dropped.add(key);
  return out;
}
