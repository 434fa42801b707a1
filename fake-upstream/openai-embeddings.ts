/**
 * OpenAI embeddings: `POST /v1/embeddings`. Vectors are deterministic (a hash of model
 * and input seeds them) and unit length, as OpenAI's are; `encoding_format: "base64"` is
 * little-endian float32, which the official SDK asks for by default and decodes.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { applyFaults, type Exchange, sendResult } from "./exchange.ts";
import { isRecord, randomId } from "./generation.ts";
import { OPENAI_HEADERS, sendOpenAIError } from "./openai-chat.ts";

/** What OpenAI's text-embedding-3-small returns without `dimensions`. */
export const DEFAULT_DIMENSIONS = 1536;
/** OpenAI's limits: 2048 inputs a request, 3072 dimensions (text-embedding-3-large). */
const MAX_INPUTS = 2048;
const MAX_DIMENSIONS = 3072;

const tokenArray = z.array(z.number().int().min(0)).min(1);
const embeddingsRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(MAX_INPUTS), tokenArray, z.array(tokenArray).min(1).max(MAX_INPUTS)]),
  dimensions: z.number().int().min(1).max(MAX_DIMENSIONS).nullish(),
  encoding_format: z.enum(["float", "base64"]).nullish(),
  user: z.string().nullish(),
});

/** Each input as text or tokens; a flat token array is one input. */
function inputsOf(input: z.infer<typeof embeddingsRequestSchema>["input"]): (string | number[])[] {
  if (typeof input === "string") return [input];
  if (input.every((value) => typeof value === "number")) return [input as number[]];
  return input as (string | number[])[];
}

/** Tokens: ceil(characters / 4) per text input, as the prompt estimate; a token array's length. */
function inputTokens(input: string | number[]): number {
  return typeof input === "string" ? Math.ceil(input.length / 4) : input.length;
}

/**
 * A unit vector derived from SHA-256 of model and input only, so the same text always
 * embeds the same and different texts differently. Shortening (`dimensions`) renormalises,
 * as OpenAI's text-embedding-3 models do.
 */
export function embeddingVector(model: string, input: string | number[], dimensions: number): number[] {
  const seed = `${model}\u0000${typeof input === "string" ? input : input.join(",")}`;
  const values: number[] = [];
  for (let block = 0; values.length < dimensions; block++) {
    const digest = createHash("sha256").update(`${block}\u0000${seed}`).digest();
    for (let i = 0; i + 2 <= digest.length && values.length < dimensions; i += 2) {
      values.push(digest.readUInt16LE(i) / 32767.5 - 1);
    }
  }
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0)) || 1;
  // Rounded through float32 so the float and base64 encodings carry the same numbers.
  return values.map((value) => Math.fround(value / norm));
}

function toBase64(vector: number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => buffer.writeFloatLE(value, i * 4));
  return buffer.toString("base64");
}

export async function handleEmbeddings(ex: Exchange): Promise<void> {
  if (!isRecord(ex.body)) return sendOpenAIError(ex, 400, "We could not parse the JSON body of your request.");
  const parsed = embeddingsRequestSchema.safeParse(ex.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = String(issue.path[0] ?? "");
    const message = ex.body[param] === undefined ? `Missing required parameter: '${param}'.` : `'$.${param}' is invalid. ${issue.message}`;
    return sendOpenAIError(ex, 400, message, { param });
  }
  if (applyFaults(ex, false, sendOpenAIError)) return;

  const request = parsed.data;
  const inputs = inputsOf(request.input);
  const dimensions = request.dimensions ?? DEFAULT_DIMENSIONS;
  const tokens = inputs.reduce((sum, input) => sum + inputTokens(input), 0);
  const data = inputs.map((input, index) => {
    const vector = embeddingVector(request.model, input, dimensions);
    return { object: "embedding", index, embedding: request.encoding_format === "base64" ? toBase64(vector) : vector };
  });
  const body = { object: "list", data, model: request.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  return sendResult(ex, body, 1, { ...OPENAI_HEADERS, "x-request-id": randomId("req_") });
}
