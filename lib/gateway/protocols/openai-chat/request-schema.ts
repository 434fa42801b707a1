/**
 * The OpenAI Chat Completions request as Switchyard accepts it: the fields the gateway
 * reads are validated; everything else passes through to OpenAI-style upstreams.
 * Gateway extras: `provider` (ZenMux routing and fallback), `models` (OpenRouter
 * fallbacks) and `zenmux-route` (the seed FAQ's form).
 */
import { z } from "zod";
import { expected } from "../schema-errors.ts";
import { invalidParams, type GatewayError } from "../../errors.ts";
import { providerOptionsSchema, zenmuxRouteSchema } from "../gateway-options.ts";

const contentPartSchema = z.looseObject({ type: z.string({ error: expected("a string") }) });
const messageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"], {
    error: "is not valid: expected system, developer, user, assistant or tool",
  }),
  content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
  tool_calls: z.array(z.looseObject({ id: z.string(), type: z.string(), function: z.looseObject({ name: z.string(), arguments: z.string() }) })).optional(),
  tool_call_id: z.string().optional(),
  name: z.string().optional(),
});

const toolSchema = z.looseObject({
  type: z.literal("function", { error: 'is not valid: only "function" tools are supported' }),
  function: z.looseObject({
    name: z.string().min(1, "needs a name"),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The largest token count a field takes: beyond any model's window, and well inside what the money path can hold. */
export const MAX_TOKEN_FIELD = 2 ** 31 - 1;
const intAtLeast1 = z.number().int("must be an integer").min(1, "must be at least 1").max(MAX_TOKEN_FIELD, `must be at most ${MAX_TOKEN_FIELD}`);

export const chatRequestSchema = z.looseObject({
  model: z
    .string({ error: expected("a string") })
    .trim()
    .min(1, "is required"),
  messages: z
    .array(z.unknown(), { error: expected("an array") })
    .min(1, "can not be empty")
    .superRefine((messages, ctx) => {
      messages.forEach((message, i) => {
        if (message === null || typeof message !== "object") ctx.addIssue({ code: "custom", path: [i], message: "can not be null" });
      });
    })
    .pipe(z.array(messageSchema)),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  temperature: z.number().min(0, "is not valid: must be between 0 and 2").max(2, "is not valid: must be between 0 and 2").nullable().optional(),
  top_p: z.number().min(0, "is not valid: must be between 0 and 1").max(1, "is not valid: must be between 0 and 1").nullable().optional(),
  n: z.number().int().max(1, "greater than 1 is not supported").min(1).nullable().optional(),
  max_tokens: intAtLeast1.nullable().optional(),
  max_completion_tokens: intAtLeast1.nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4, "can have at most 4 sequences")])
    .nullable()
    .optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: z
    .union([z.enum(["none", "auto", "required"]), z.looseObject({ type: z.literal("function"), function: z.object({ name: z.string() }) })])
    .optional(),
  response_format: z
    .looseObject({ type: z.enum(["text", "json_object", "json_schema"], { error: "is not valid: expected text, json_object or json_schema" }) })
    .optional(),
  seed: z.number().int("must be an integer").nullable().optional(),
  top_logprobs: z.number().int("must be an integer").min(0, "must be between 0 and 20").max(20, "must be between 0 and 20").nullable().optional(),
  user: z.string().optional(),
  provider: providerOptionsSchema.optional(),
  models: z.array(z.string().min(1)).optional(),
  "zenmux-route": zenmuxRouteSchema.optional(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatMessage = z.infer<typeof messageSchema>;

function describePath(path: PropertyKey[]): string {
  return path.reduce<string>((out, segment) => (typeof segment === "number" ? `${out}[${segment}]` : out ? `${out}.${String(segment)}` : String(segment)), "");
}

/** A body that fails its OpenAI-surface schema (Chat or Responses): 400 naming the first offending field. */
export function invalidParamsFromIssue(issue: z.core.$ZodIssue): GatewayError {
  const field = describePath(issue.path);
  // zod's own wording ("Invalid input: …") becomes ZenMux's "is not valid"; ours is kept.
  const message = issue.message.startsWith("Invalid")
    ? issue.code === "invalid_type"
      ? `is not valid: expected ${issue.expected}`
      : "is not valid"
    : issue.message;
  return invalidParams(`Parameter ${field} ${message}`, field);
}

/** Validates a parsed JSON body; throws GatewayError(400) naming the first offending field. */
export function parseChatRequest(body: unknown): ChatRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw invalidParams("Request body must be a JSON object");
  const result = chatRequestSchema.safeParse(body);
  if (!result.success) throw invalidParamsFromIssue(result.error.issues[0]);
  const request = result.data;
  if (request.stream_options && request.stream !== true)
    throw invalidParams("Parameter stream_options is not supported while stream is false", "stream_options");
  return request;
}

export function parseJsonBody(bytes: Buffer): unknown {
  const text = bytes.toString("utf8");
  if (!text.trim()) throw invalidParams("Request body is empty: send a JSON object with model and messages");
  try {
    return JSON.parse(text);
  } catch {
    throw invalidParams("Request body is not valid JSON");
  }
}
