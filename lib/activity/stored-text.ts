/**
 * Text a database will take. PostgreSQL refuses NUL (U+0000) in text columns and lone
 * UTF-16 surrogates cannot be encoded as UTF-8, yet both arrive from clients (a model
 * name) and upstreams (error messages, bodies). Each becomes U+FFFD, the replacement
 * character, so the record keeps its shape and length and says where something was.
 */
const REPLACEMENT = "\uFFFD";
/** NUL, a high surrogate without its low half, or a low surrogate without its high half. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function toStorableText(text: string): string {
  return text.replace(UNSTORABLE, REPLACEMENT);
}

/** A copy of `value` with every string in it (nested objects and arrays too) made storable. */
export function withStorableText<T>(value: T): T {
  if (typeof value === "string") return toStorableText(value) as T;
  if (Array.isArray(value)) return value.map((item) => withStorableText(item)) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withStorableText(item)])) as T;
  }
  return value;
}
