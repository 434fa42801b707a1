/**
 * The OpenAI embeddings request (POST /api/v1/embeddings) as Switchyard accepts it:
 * `input` as a string, an array of strings, an array of token ids or an array of token
 * arrays; `model`; `dimensions`; `encoding_format` float | base64; `user`; and the
 * gateway's routing options. Every field is checked before anything is held or sent, and
 * a bad one is a 400 naming it. Other fields pass through to the upstream.
 * Facts: reference/zenmux-docs/api/openai/create-embeddings.md.
 */
import { z } from "zod";
import { expected } from "../schema-errors.ts";
import { invalidParams } from "../../errors.ts";
import { providerOptionsSchema, zenmuxRouteSchema } from "../gateway-options.ts";
import { invalidParamsFromIssue } from "../openai-chat/request-schema.ts";

/** OpenAI's limit on inputs in one request. */
export const MAX_EMBEDDING_INPUTS = 2048;

export type EmbeddingInput = string | number[];
export type EncodingFormat = "float" | "base64";

const isTokenId = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

/**
 * The inputs one by one (a flat token array is one input), or the 400 naming the first
 * bad one. Written out rather than as a zod union, which would only say that no branch
 * matched instead of which element is wrong.
 */
export function readEmbeddingInputs(input: unknown): EmbeddingInput[] {
  if (input === undefined || input === null) throw invalidParams("Parameter input is required", "input");
  if (typeof input === "string") {
    if (input === "") throw invalidParams("Parameter input can not be an empty string", "input");
    return [input];
  }
  if (!Array.isArray(input))
    throw invalidParams("Parameter input is not valid: expected a string, an array of strings, an array of token ids or an array of token arrays", "input");
  if (input.length === 0) throw invalidParams("Parameter input can not be empty", "input");
  if (input.length > MAX_EMBEDDING_INPUTS && typeof input[0] !== "number")
    throw invalidParams(`Parameter input can have at most ${MAX_EMBEDDING_INPUTS} items`, "input");
  const first = input[0];
  if (typeof first === "number") {
    input.forEach((value, i) => {
      if (!isTokenId(value))
        throw invalidParams(`Parameter input[${i}] is not valid: expected a token id (an integer ≥ 0), as the array's first element is`, `input[${i}]`);
    });
    return [input as number[]];
  }
  return input.map((item, i): EmbeddingInput => {
    const field = `input[${i}]`;
    if (typeof first === "string") {
      if (typeof item !== "string") throw invalidParams(`Parameter ${field} is not valid: expected a string, as the array's first element is`, field);
      if (item === "") throw invalidParams(`Parameter ${field} can not be an empty string`, field);
      return item;
    }
    if (!Array.isArray(item)) throw invalidParams(`Parameter ${field} is not valid: expected a string or an array of token ids`, field);
    if (item.length === 0) throw invalidParams(`Parameter ${field} can not be empty`, field);
    item.forEach((value, j) => {
      if (!isTokenId(value)) throw invalidParams(`Parameter ${field}[${j}] is not valid: expected a token id (an integer ≥ 0)`, `${field}[${j}]`);
    });
    return item as number[];
  });
}

export const embeddingsRequestSchema = z.looseObject({
  model: z
    .string({ error: expected("a string") })
    .trim()
    .min(1, "is required"),
  // Checked by readEmbeddingInputs, which names the element at fault.
  input: z.unknown().optional(),
  dimensions: z
    .number({ error: "is not valid: expected an integer" })
    .int("must be an integer")
    .min(1, "must be at least 1")
    .max(2 ** 31 - 1, "is too large")
    .nullish(),
  encoding_format: z.enum(["float", "base64"], { error: "is not valid: expected float or base64" }).nullish(),
  user: z.string({ error: "is not valid: expected a string" }).nullish(),
  stream: z.literal(false, { error: "is not supported: embeddings are answered whole" }).nullish(),
  provider: providerOptionsSchema.optional(),
  models: z.array(z.string().min(1)).optional(),
  "zenmux-route": zenmuxRouteSchema.optional(),
});

export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;

/** The request as validated, and its inputs one by one. */
export type ParsedEmbeddings = { request: EmbeddingsRequest; inputs: EmbeddingInput[] };

/** Validates a parsed JSON body; throws GatewayError(400) naming the first offending field. */
export function parseEmbeddingsRequest(body: unknown): ParsedEmbeddings {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw invalidParams("Request body must be a JSON object");
  const result = embeddingsRequestSchema.safeParse(body);
  if (!result.success) throw invalidParamsFromIssue(result.error.issues[0]);
  return { request: result.data, inputs: readEmbeddingInputs(result.data.input) };
}

/** ~4 characters a token for text (the gateway's prompt estimate); a token array is its length. */
export function estimateInputTokens(input: EmbeddingInput): number {
  return typeof input === "string" ? Math.ceil(input.length / 4) : input.length;
}
