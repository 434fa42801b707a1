/**
 * Writes a request body as JSON, the same bytes JSON.stringify writes, without building
 * one string past V8's largest regular heap object (128 KiB). A larger string goes to
 * the large-object space, and on the bench box each such allocation costs ~2 ms of CPU
 * (bench/core-profile.ts, the 150 KB prompt case), more than parsing the body. Small
 * bodies stay one string; larger ones become a Buffer of per-field and per-element
 * pieces (a single element past the limit is still one string: there is no smaller cut).
 */
const MAX_STRING_CHARS = 64 * 1024;

type Json = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== "function";

export function serializeJsonBody(body: Json): string | Buffer {
  if (!isPlainObject(body)) return JSON.stringify(body);
  const pieces: string[] = [];
  let chars = 0;
  const push = (piece: string) => {
    pieces.push(piece);
    chars += piece.length;
  };
  push("{");
  let first = true;
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== "function") {
      push(`${first ? "" : ","}${JSON.stringify(key)}:[`);
      value.forEach((item: unknown, index) => push(`${index === 0 ? "" : ","}${JSON.stringify(item) ?? "null"}`));
      push("]");
      first = false;
      continue;
    }
    const text = JSON.stringify(value);
    // JSON.stringify leaves out members whose value has no JSON form (undefined, functions).
    if (text === undefined) continue;
    push(`${first ? "" : ","}${JSON.stringify(key)}:${text}`);
    first = false;
  }
  push("}");
  if (chars <= MAX_STRING_CHARS) return pieces.join("");
  return Buffer.concat(pieces.map((piece) => Buffer.from(piece, "utf8")));
}
