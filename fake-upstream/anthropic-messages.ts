/**
 * Anthropic Messages: `POST /v1/messages` (JSON and SSE), `POST /v1/messages/count_tokens`
 * and `GET /v1/models` in Anthropic's shape, strict enough for the SDK's MessageStream.
 */
import { z } from "zod";
import { applyFaults, type ErrorExtras, type Exchange, type Frame, playStream, sendResult } from "./exchange.ts";
import {
  argumentsFromSchema,
  argumentsJson,
  contentTexts,
  estimatePromptTokens,
  imageTokens,
  isRecord,
  planContent,
  randomId,
  splitFragments,
  THINKING_TEXT,
  toolCallTokens,
  wordTokens,
} from "./generation.ts";
import type { Knobs } from "./knobs.ts";
import { modelIds } from "./openai-chat.ts";

const ERROR_TYPES: Record<number, [type: string, message: string]> = {
  400: ["invalid_request_error", "Invalid request."],
  401: ["authentication_error", "invalid x-api-key"],
  402: ["billing_error", "Your credit balance is too low."],
  403: ["permission_error", "Your API key does not have permission to use the specified resource."],
  404: ["not_found_error", "Not found."],
  413: ["request_too_large", "Request exceeds the maximum allowed number of bytes."],
  429: ["rate_limit_error", "Number of requests has exceeded your rate limit."],
  500: ["api_error", "Internal server error"],
  529: ["overloaded_error", "Overloaded"],
};

function errorType(status: number): [string, string] {
  return ERROR_TYPES[status] ?? (status >= 500 ? ERROR_TYPES[500] : ERROR_TYPES[400]);
}

/** `{"type":"error","error":{"type","message"},"request_id"}` with the status's error type. */
export function sendAnthropicError(ex: Exchange, status: number, message?: string, extras: ErrorExtras = {}): void {
  const [type, defaultMessage] = errorType(status);
  const requestId = randomId("req_");
  const body = { type: "error", error: { type, message: message ?? defaultMessage }, request_id: requestId };
  ex.sendJson(status, body, { "request-id": requestId, ...extras.headers });
}

const countTokensSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.enum(["user", "assistant", "system"]), content: z.union([z.string(), z.array(z.unknown())]) })),
  system: z.union([z.string(), z.array(z.unknown())]).nullish(),
  tools: z.array(z.unknown()).nullish(),
  tool_choice: z.unknown().optional(),
  thinking: z.unknown().optional(),
});
const messagesSchema = countTokensSchema.extend({
  max_tokens: z.number().int().min(1),
  stream: z.boolean().nullish(),
});
type CountTokensRequest = z.infer<typeof countTokensSchema>;
type MessagesRequest = z.infer<typeof messagesSchema>;

function validate<T>(schema: z.ZodType<T>, ex: Exchange): T | null {
  if (!isRecord(ex.body)) {
    sendAnthropicError(ex, 400, "The request body is not valid JSON.");
    return null;
  }
  const result = schema.safeParse(ex.body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue.path.map(String).join(".");
  const missing = issue.path.length === 1 && ex.body[param] === undefined;
  sendAnthropicError(ex, 400, `${param}: ${missing ? "Field required" : issue.message}`);
  return null;
}

/** The system prompt counts as one more message when present. */
function promptTokens(request: CountTokensRequest): number {
  const system = contentTexts(request.system ?? []);
  const texts = [...system, ...request.messages.flatMap((message) => contentTexts(message.content))];
  const systemCount = system.some((text) => text.length > 0) ? 1 : 0;
  const images = request.messages.reduce((sum, message) => sum + imageTokens(message.content), 0);
  return estimatePromptTokens(texts, request.messages.length + systemCount) + images;
}

interface ToolTarget {
  name: string;
  schema: unknown;
}

function isToolResultTurn(message: MessagesRequest["messages"][number] | undefined): boolean {
  return message?.role === "user" && Array.isArray(message.content) && message.content.some((block) => isRecord(block) && block.type === "tool_result");
}

function chooseTool(request: MessagesRequest): ToolTarget | null {
  const tools: ToolTarget[] = [];
  for (const tool of request.tools ?? []) {
    if (isRecord(tool) && typeof tool.name === "string") tools.push({ name: tool.name, schema: tool.input_schema });
  }
  const choice = isRecord(request.tool_choice) ? request.tool_choice : {};
  if (tools.length === 0 || choice.type === "none" || isToolResultTurn(request.messages.at(-1))) return null;
  if (choice.type === "tool" && typeof choice.name === "string") {
    const wanted = choice.name;
    return tools.find((tool) => tool.name === wanted) ?? { name: wanted, schema: undefined };
  }
  return tools[0];
}

function wantsThinking(request: MessagesRequest): boolean {
  const type = isRecord(request.thinking) ? request.thinking.type : undefined;
  return type === "enabled" || type === "adaptive";
}

function usage(input: number, output: number, knobs: Knobs) {
  return {
    input_tokens: input,
    cache_creation_input_tokens: knobs.cacheWriteTokens,
    cache_read_input_tokens: knobs.cachedTokens,
    cache_creation: { ephemeral_5m_input_tokens: knobs.cacheWriteTokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    service_tier: "standard",
  };
}

type Block =
  | { kind: "thinking"; parts: string[]; signature: string }
  | { kind: "text"; parts: string[] }
  | { kind: "tool_use"; id: string; name: string; input: Record<string, unknown>; parts: string[] };

function finalBlock(block: Block): object {
  switch (block.kind) {
    case "thinking":
      return { type: "thinking", thinking: block.parts.join(""), signature: block.signature };
    case "text":
      return { type: "text", text: block.parts.join("") };
    case "tool_use":
      return { type: "tool_use", id: block.id, name: block.name, input: block.input };
  }
}

const event = <T extends { type: string }>(payload: T): string => `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;

function blockFrames(block: Block, index: number): Frame[] {
  const frames: Frame[] = [];
  const start =
    block.kind === "thinking"
      ? { type: "thinking", thinking: "", signature: "" }
      : block.kind === "text"
        ? { type: "text", text: "" }
        : { type: "tool_use", id: block.id, name: block.name, input: {} };
  frames.push({ text: event({ type: "content_block_start", index, content_block: start }), content: false });
  for (const part of block.parts) {
    const delta =
      block.kind === "thinking"
        ? { type: "thinking_delta", thinking: part }
        : block.kind === "text"
          ? { type: "text_delta", text: part }
          : { type: "input_json_delta", partial_json: part };
    frames.push({ text: event({ type: "content_block_delta", index, delta }), content: true });
  }
  if (block.kind === "thinking") {
    const delta = { type: "signature_delta", signature: block.signature };
    frames.push({ text: event({ type: "content_block_delta", index, delta }), content: false });
  }
  frames.push({ text: event({ type: "content_block_stop", index }), content: false });
  return frames;
}

export async function handleMessages(ex: Exchange): Promise<void> {
  const request = validate(messagesSchema, ex);
  if (!request) return;
  const stream = request.stream === true;
  if (applyFaults(ex, stream, sendAnthropicError)) return;

  const { knobs } = ex;
  const id = randomId("msg_01");
  const headers = { "request-id": randomId("req_") };
  const input = promptTokens(request);
  const tool = knobs.toolCalls ? chooseTool(request) : null;
  const blocks: Block[] = [];
  if (wantsThinking(request)) {
    blocks.push({ kind: "thinking", parts: wordTokens(THINKING_TEXT), signature: randomId("EqQBCkYIBxgCKkD", 64) });
  }
  // Thinking counts against max_tokens, as at Anthropic.
  const plan = planContent(
    knobs,
    request.max_tokens,
    blocks.reduce((sum, block) => sum + block.parts.length, 0),
  );
  if (tool) {
    const args = argumentsFromSchema(tool.schema);
    blocks.push({ kind: "text", parts: wordTokens(`I'll use the ${tool.name} tool.`) });
    const parts = splitFragments(argumentsJson(args));
    blocks.push({ kind: "tool_use", id: randomId("toolu_01"), name: tool.name, input: args, parts });
  } else {
    blocks.push({ kind: "text", parts: plan.tokens });
  }
  const output = blocks.reduce((sum, block) => sum + (block.kind === "tool_use" ? toolCallTokens(block.name, block.parts.join("")) : block.parts.length), 0);
  const stopReason = knobs.finishReason ?? (tool ? "tool_use" : plan.truncated ? "max_tokens" : "end_turn");
  const contentChunks = blocks.reduce((sum, block) => sum + block.parts.length, 0);

  if (!stream) {
    const body = {
      id,
      type: "message",
      role: "assistant",
      model: request.model,
      content: blocks.map(finalBlock),
      stop_reason: stopReason,
      stop_sequence: null,
      usage: usage(input, output, knobs),
    };
    return sendResult(ex, body, contentChunks, headers);
  }

  let frames: Frame[];
  if (ex.faulty && knobs.errorFirstEvent) {
    ex.markFailed();
    const error = { type: "overloaded_error", message: knobs.failMessage ?? "Overloaded" };
    frames = [{ text: event({ type: "error", error }), content: false }];
  } else if (ex.faulty && knobs.emptyStream) {
    ex.markFailed();
    frames = [];
  } else {
    const message = {
      id,
      type: "message",
      role: "assistant",
      model: request.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage(input, 1, knobs),
    };
    // message_delta carries cumulative totals, without the nested cache_creation breakdown.
    const full = usage(input, output, knobs);
    const finalUsage = {
      input_tokens: full.input_tokens,
      cache_creation_input_tokens: full.cache_creation_input_tokens,
      cache_read_input_tokens: full.cache_read_input_tokens,
      output_tokens: full.output_tokens,
    };
    frames = [
      { text: event({ type: "message_start", message }), content: false },
      { text: event({ type: "ping" }), content: false },
      ...blocks.flatMap((block, index) => blockFrames(block, index)),
      {
        text: event({ type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: finalUsage }),
        content: false,
      },
      { text: event({ type: "message_stop" }), content: false },
    ];
  }
  const errorFrame = (message: string | null) => event({ type: "error", error: { type: "overloaded_error", message: message ?? "Overloaded" } });
  return playStream(ex, frames, headers, errorFrame);
}

export function handleCountTokens(ex: Exchange): void {
  const request = validate(countTokensSchema, ex);
  if (request) ex.sendJson(200, { input_tokens: promptTokens(request) });
}

/** `GET /v1/models[/<id>]` when the caller sent `anthropic-version`: Anthropic's page shape. */
export function handleAnthropicModels(ex: Exchange, modelId: string | null): void {
  const toModel = (id: string) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" });
  const ids = modelIds(ex.knobs);
  if (modelId === null) {
    const data = ids.map(toModel);
    return ex.sendJson(200, { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null });
  }
  if (!ids.includes(modelId)) return sendAnthropicError(ex, 404, `model: ${modelId}`);
  ex.sendJson(200, toModel(modelId));
}
