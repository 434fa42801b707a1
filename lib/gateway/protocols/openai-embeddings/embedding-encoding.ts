/**
 * An embeddings answer in the encoding the client asked for. The upstream is asked for
 * the same, but not every OpenAI-compatible server honours `encoding_format`; the
 * official SDK, which asks for base64 by default, cannot read floats in its place. So a
 * vector comes back as floats or as base64 of little-endian float32 (OpenAI's and the
 * SDK's format) whatever the upstream sent.
 */
import type { EncodingFormat } from "./request-schema.ts";

type Json = Record<string, unknown>;

export function floatsToBase64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString("base64");
}

export function base64ToFloats(encoded: string): number[] {
  const bytes = Buffer.from(encoded, "base64");
  const vector: number[] = new Array(Math.floor(bytes.byteLength / 4));
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}

function encoded(embedding: unknown, format: EncodingFormat): unknown {
  if (format === "base64" && Array.isArray(embedding) && embedding.every((value) => typeof value === "number")) return floatsToBase64(embedding);
  if (format === "float" && typeof embedding === "string") return base64ToFloats(embedding);
  return embedding;
}

/** The answer with each `data[].embedding` in `format`; the rest as the upstream sent it. */
export function withEncoding(body: Json, format: EncodingFormat): Json {
  if (!Array.isArray(body.data)) return body;
  let changed = false;
  const data = body.data.map((item: unknown) => {
    if (!item || typeof item !== "object") return item;
    const entry = item as Json;
    const embedding = encoded(entry.embedding, format);
    if (embedding === entry.embedding) return item;
    changed = true;
    return { ...entry, embedding };
  });
  return changed ? { ...body, data } : body;
}
