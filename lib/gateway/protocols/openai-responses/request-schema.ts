/**
 * The OpenAI Responses request (POST /api/v1/responses) as Switchyard accepts it. The
 * fields the gateway reads or translates are validated; others pass through to
 * Responses-speaking upstreams. Input items are checked as OpenAI checks them: a known
 * `type`, the fields each type needs, and every `function_call_output` answering a
 * `function_call` earlier in the input, the stored conversation that `previous_response_id`
 * continues included (stored-context.ts).
 * Facts: reference/zenmux-docs/api/openai/openai-responses.md.
 */
import { z } from "zod";
import { expected } from "../schema-errors.ts";
import { invalidParams } from "../../errors.ts";
import { providerOptionsSchema, zenmuxRouteSchema } from "../gateway-options.ts";
import type { StoredConversation } from "../../ports/gateway-deps.ts";
import { invalidParamsFromIssue, MAX_TOKEN_FIELD } from "../openai-chat/request-schema.ts";
import { continuedInput, previousResponseNotFound } from "./stored-context.ts";

/** OpenAI refuses a smaller max_output_tokens. */
export const MIN_OUTPUT_TOKENS = 16;

const textPart = (type: string) => z.looseObject({ type: z.literal(type), text: z.string({ error: expected("a string") }) });
const inputImagePart = z.looseObject({
  type: z.literal("input_image"),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(["low", "high", "auto"], { error: "is not valid: expected low, high or auto" }).optional(),
});
const inputFilePart = z.looseObject({
  type: z.literal("input_file"),
  file_data: z.string().optional(),
  file_id: z.string().nullish(),
  file_url: z.string().optional(),
  filename: z.string().optional(),
});
const refusalPart = z.looseObject({ type: z.literal("refusal"), refusal: z.string({ error: expected("a string") }) });

const PART_TYPES = ["input_text", "input_image", "input_file", "output_text", "refusal"] as const;
const contentPartSchema = z.discriminatedUnion("type", [textPart("input_text"), inputImagePart, inputFilePart, textPart("output_text"), refusalPart], {
  error: `is not valid: expected one of ${PART_TYPES.join(", ")}`,
});
export type ResponsesContentPart = z.infer<typeof contentPartSchema>;

/**
 * A string or a list of what `items` accepts. Errors inside the list keep their own path
 * (a zod union would report only that neither branch matched).
 */
function stringOr<T>(items: z.ZodType<T[]>, expected: string) {
  return z.unknown().transform((value, ctx): string | T[] => {
    if (typeof value === "string") return value;
    if (!Array.isArray(value)) {
      ctx.addIssue({ code: "custom", message: `is required: ${expected}` });
      return z.NEVER;
    }
    const result = items.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  });
}
const contentSchema = stringOr(z.array(contentPartSchema), "a string or an array of content parts");

const messageItemSchema = z.looseObject({
  type: z.literal("message").optional(),
  role: z.enum(["user", "assistant", "system", "developer"], { error: "is not valid: expected user, assistant, system or developer" }),
  content: contentSchema,
  id: z.string().optional(),
  status: z.string().optional(),
});

const functionCallItemSchema = z.looseObject({
  type: z.literal("function_call"),
  call_id: z.string({ error: expected("a string") }).min(1, "is required"),
  name: z.string({ error: expected("a string") }).min(1, "is required"),
  arguments: z.string({ error: expected("a string") }),
  id: z.string().optional(),
  status: z.string().optional(),
});

const functionCallOutputItemSchema = z.looseObject({
  type: z.literal("function_call_output"),
  call_id: z.string({ error: expected("a string") }).min(1, "is required"),
  output: contentSchema,
  id: z.string().optional(),
  status: z.string().optional(),
});

const reasoningItemSchema = z.looseObject({
  type: z.literal("reasoning"),
  id: z.string().optional(),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })).optional(),
  encrypted_content: z.string().nullish(),
});

/**
 * Item types OpenAI defines that only a Responses upstream can act on (hosted tools,
 * custom and shell tools). Accepted, passed to Responses upstreams, and left out (named
 * in `dropped`) when the request is translated.
 */
export const NATIVE_ONLY_ITEM_TYPES = [
  "item_reference",
  "custom_tool_call",
  "custom_tool_call_output",
  "local_shell_call",
  "local_shell_call_output",
  "web_search_call",
  "file_search_call",
  "computer_call",
  "computer_call_output",
  "image_generation_call",
  "code_interpreter_call",
  "mcp_call",
  "mcp_list_tools",
  "mcp_approval_request",
  "mcp_approval_response",
] as const;
const nativeItemSchema = z.looseObject({ type: z.enum(NATIVE_ONLY_ITEM_TYPES) });

const ITEM_TYPES = ["message", "function_call", "function_call_output", "reasoning", ...NATIVE_ONLY_ITEM_TYPES];

/** Items without `type` are messages (OpenAI's EasyInputMessage). */
const inputItemSchema = z.unknown().transform((item, ctx) => {
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    ctx.addIssue({ code: "custom", message: "is not valid: expected an object" });
    return z.NEVER;
  }
  const type = (item as { type?: unknown }).type ?? "message";
  const schema =
    type === "message"
      ? messageItemSchema
      : type === "function_call"
        ? functionCallItemSchema
        : type === "function_call_output"
          ? functionCallOutputItemSchema
          : type === "reasoning"
            ? reasoningItemSchema
            : typeof type === "string" && (NATIVE_ONLY_ITEM_TYPES as readonly string[]).includes(type)
              ? nativeItemSchema
              : null;
  if (!schema) {
    ctx.addIssue({ code: "custom", path: ["type"], message: `is not valid: expected one of ${ITEM_TYPES.join(", ")}` });
    return z.NEVER;
  }
  const result = schema.safeParse(item);
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return result.data as ResponsesInputItem;
});

const inputSchema = stringOr(z.array(inputItemSchema).min(1, "can not be empty"), "a string or an array of input items");

export type ResponsesMessageItem = z.infer<typeof messageItemSchema>;
export type ResponsesFunctionCallItem = z.infer<typeof functionCallItemSchema>;
export type ResponsesFunctionCallOutputItem = z.infer<typeof functionCallOutputItemSchema>;
export type ResponsesReasoningItem = z.infer<typeof reasoningItemSchema>;
export type ResponsesInputItem =
  ResponsesMessageItem | ResponsesFunctionCallItem | ResponsesFunctionCallOutputItem | ResponsesReasoningItem | z.infer<typeof nativeItemSchema>;

/** Function tools are translated; every other tool type (Codex sends web_search, local_shell, custom …) is accepted. */
const toolSchema = z.looseObject({ type: z.string({ error: expected("a string") }) }).superRefine((tool, ctx) => {
  if (tool.type !== "function") return;
  if (typeof tool.name !== "string" || tool.name === "") ctx.addIssue({ code: "custom", path: ["name"], message: "is required for function tools" });
  if (tool.parameters !== undefined && tool.parameters !== null && (typeof tool.parameters !== "object" || Array.isArray(tool.parameters)))
    ctx.addIssue({ code: "custom", path: ["parameters"], message: "is not valid: expected a JSON schema object" });
});
export type ResponsesTool = z.infer<typeof toolSchema>;

const toolChoiceSchema = z.union([z.enum(["none", "auto", "required"]), z.looseObject({ type: z.string(), name: z.string().optional() })], {
  error: 'is not valid: expected "none", "auto", "required" or {"type":"function","name":…}',
});

const formatSchema = z.discriminatedUnion(
  "type",
  [
    z.looseObject({ type: z.literal("text") }),
    z.looseObject({ type: z.literal("json_object") }),
    z.looseObject({
      type: z.literal("json_schema"),
      name: z.string({ error: expected("a string") }).min(1, "is required"),
      schema: z.record(z.string(), z.unknown(), { error: "is required: a JSON schema object" }),
      strict: z.boolean().nullish(),
      description: z.string().optional(),
    }),
  ],
  { error: "is not valid: expected text, json_object or json_schema" },
);

export const responsesRequestSchema = z.looseObject({
  model: z
    .string({ error: expected("a string") })
    .trim()
    .min(1, "is required"),
  input: inputSchema,
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  max_output_tokens: z
    .number()
    .int("must be an integer")
    .min(MIN_OUTPUT_TOKENS, `must be at least ${MIN_OUTPUT_TOKENS}`)
    .max(MAX_TOKEN_FIELD, `must be at most ${MAX_TOKEN_FIELD}`)
    .nullish(),
  temperature: z.number().min(0, "is not valid: must be between 0 and 2").max(2, "is not valid: must be between 0 and 2").nullish(),
  top_p: z.number().min(0, "is not valid: must be between 0 and 1").max(1, "is not valid: must be between 0 and 1").nullish(),
  tools: z.array(toolSchema).nullish(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().nullish(),
  reasoning: z
    .looseObject({
      effort: z
        .enum(["none", "minimal", "low", "medium", "high", "xhigh"], { error: "is not valid: expected none, minimal, low, medium, high or xhigh" })
        .nullish(),
      summary: z.enum(["auto", "concise", "detailed"], { error: "is not valid: expected auto, concise or detailed" }).nullish(),
    })
    .nullish(),
  text: z.looseObject({ format: formatSchema.optional(), verbosity: z.string().nullish() }).nullish(),
  metadata: z.record(z.string(), z.string({ error: "is not valid: metadata values must be strings" })).nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().nullish(),
  include: z.array(z.string()).nullish(),
  user: z.string().optional(),
  provider: providerOptionsSchema.optional(),
  models: z.array(z.string().min(1)).optional(),
  "zenmux-route": zenmuxRouteSchema.optional(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

/** Every function_call_output answers a function_call given before it; the first `carried` items are a stored conversation's. */
function checkToolResults(items: ResponsesInputItem[], carried: number): void {
  const calls = new Set<string>();
  items.forEach((item, i) => {
    if (item.type === "function_call") calls.add(item.call_id);
    if (item.type === "function_call_output" && !calls.has(item.call_id)) {
      const at = `input[${i - carried}].call_id`;
      throw invalidParams(
        `Parameter ${at} is not valid: no function_call with call_id ${JSON.stringify(item.call_id)} comes before it in input${carried > 0 ? " or in the previous response" : ""}`,
        at,
      );
    }
  });
}

/**
 * Validates a parsed JSON body; throws GatewayError(400) naming the first offending field.
 * A request continuing a stored response gets that response's conversation (`previous`,
 * loaded by the caller) put before its input; without it, the id is unknown (404).
 */
export function parseResponsesRequest(body: unknown, previous: StoredConversation | null = null): ResponsesRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw invalidParams("Request body must be a JSON object");
  const result = responsesRequestSchema.safeParse(body);
  if (!result.success) throw invalidParamsFromIssue(result.error.issues[0]);
  const request = result.data;
  let carried = 0;
  if (request.previous_response_id) {
    if (previous?.id !== request.previous_response_id) throw previousResponseNotFound(request.previous_response_id);
    const own = typeof request.input === "string" ? 1 : request.input.length;
    request.input = continuedInput(previous, request.input);
    carried = request.input.length - own;
  }
  if (Array.isArray(request.input)) checkToolResults(request.input, carried);
  return request;
}

/** The stored response a request body continues, read before it is validated (the store is asked before parsing). */
export function previousResponseIdOf(body: unknown): string | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return null;
  const id = (body as { previous_response_id?: unknown }).previous_response_id;
  return typeof id === "string" && id !== "" ? id : null;
}
