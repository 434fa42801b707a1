/**
 * OpenAI Responses client, Chat Completions upstream: the request goes out as a Chat
 * body, the answer comes back as a Response (streams: responses-over-chat-stream.ts).
 * Chat is the hub: a Messages upstream is reached by translating this Chat body on
 * with chat-over-messages.ts. Pure. What Chat cannot express is left out and named in
 * `dropped` (reference/zenmux-docs/api/protocol-conversion.md, "Responses → Chat Completions").
 */
import type { ResponsesContentPart, ResponsesInputItem, ResponsesRequest } from "../openai-responses/request-schema.ts";
import {
  functionCallItem,
  isRecord,
  messageItem,
  reasoningItem,
  responseObject,
  statusForFinish,
  usageToResponses,
  type ResponseShape,
} from "../openai-responses/response-object.ts";
import { GATEWAY_ONLY_FIELDS } from "../gateway-options.ts";
import { detailFromReasoningItem, encryptedContentOf, reasoningDetailsOf, type ReasoningDetail } from "./reasoning-details.ts";

export type Translated<T> = { body: T; dropped: string[] };

type Json = Record<string, unknown>;
type ChatPart = Json & { type: string };
type ChatMessage = { role: string; content: string | ChatPart[] | null; tool_calls?: Json[]; tool_call_id?: string; reasoning_details?: ReasoningDetail[] };
/** Signed reasoning read from reasoning items, waiting for the assistant message it belongs to. */
type Pending = { details: ReasoningDetail[]; where: string[] };

/** Fields read below; anything else has no Chat equivalent. */
const HANDLED_FIELDS = new Set<string>([
  ...GATEWAY_ONLY_FIELDS,
  ...[
    "model",
    "input",
    "instructions",
    "stream",
    "max_output_tokens",
    "temperature",
    "top_p",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "reasoning",
    "text",
    "metadata",
    "user",
  ],
  // Read elsewhere, or meaningless once translated: storing and continuing are the gateway's (the stored
  // conversation is already in input), and include only asks Responses upstreams for extras.
  ...["store", "previous_response_id", "include", "stream_options"],
]);

export function responsesRequestToChat(request: ResponsesRequest): Translated<Json> {
  const dropped: string[] = [];
  const messages: ChatMessage[] = [];
  if (request.instructions) messages.push({ role: "system", content: request.instructions });
  if (typeof request.input === "string") messages.push({ role: "user", content: request.input });
  else {
    const pending: Pending = { details: [], where: [] };
    request.input.forEach((item, i) => appendItem(messages, item, `input[${i}]`, dropped, pending));
    dropPending(pending, dropped);
  }
  const body: Json = { model: request.model, messages };
  if (request.max_output_tokens != null) body.max_completion_tokens = request.max_output_tokens;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.top_p = request.top_p;
  applyTools(request, body, dropped);
  if (request.parallel_tool_calls != null && Array.isArray(body.tools)) body.parallel_tool_calls = request.parallel_tool_calls;
  const effort = request.reasoning?.effort;
  if (effort) body.reasoning_effort = effort;
  if (request.reasoning?.summary) dropped.push("reasoning.summary (Chat has no summary setting; reasoning the upstream returns becomes the summary)");
  applyFormat(request, body);
  if (request.text?.verbosity) body.verbosity = request.text.verbosity;
  if (request.metadata && Object.keys(request.metadata).length > 0) body.metadata = request.metadata;
  if (request.user) body.user = request.user;
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  for (const key of Object.keys(request)) if (!HANDLED_FIELDS.has(key)) dropped.push(`${key} (no Chat Completions equivalent)`);
  return { body, dropped };
}

// ---- input items ----

/**
 * Reasoning the gateway wrote from Anthropic thinking (reasoning-details.ts) goes back on
 * the assistant message that follows it, text and calls alike; reasoning with nothing after
 * it, or another provider's, has no Chat form.
 */
function takePending(message: ChatMessage, pending: Pending): void {
  if (pending.details.length === 0) return;
  const details = [...(message.reasoning_details ?? []), ...pending.details];
  message.reasoning_details = details.map((detail, index) => ({ ...detail, index }));
  pending.details = [];
  pending.where = [];
}

function dropPending(pending: Pending, dropped: string[]): void {
  for (const where of pending.where) dropped.push(`${where} (reasoning with no assistant turn after it)`);
  pending.details = [];
  pending.where = [];
}

function appendItem(messages: ChatMessage[], item: ResponsesInputItem, where: string, dropped: string[], pending: Pending): void {
  const type = item.type ?? "message";
  const role = type === "message" ? (item as Extract<ResponsesInputItem, { role: string }>).role : null;
  if (type !== "reasoning" && type !== "function_call" && role !== "assistant") dropPending(pending, dropped);
  switch (type) {
    case "message": {
      const message = item as Extract<ResponsesInputItem, { role: string }>;
      if (message.role === "assistant") {
        const reply: ChatMessage = { role: "assistant", content: partsText(message.content, `${where}.content`, dropped) };
        takePending(reply, pending);
        messages.push(reply);
      } else if (message.role === "user") {
        const content = userContent(message.content, `${where}.content`, dropped);
        // A message whose every part was dropped would be an empty turn upstreams refuse.
        if (content.length > 0) messages.push({ role: "user", content });
      } else messages.push({ role: message.role, content: partsText(message.content, `${where}.content`, dropped) });
      return;
    }
    case "function_call": {
      const call = item as Extract<ResponsesInputItem, { type: "function_call" }>;
      const toolCall = { id: call.call_id, type: "function", function: { name: call.name, arguments: call.arguments } };
      // Calls right after an assistant turn belong to it (Chat puts text and calls in one message).
      const last = messages.at(-1);
      if (last?.role === "assistant") {
        last.tool_calls = [...(last.tool_calls ?? []), toolCall];
        takePending(last, pending);
      } else {
        const reply: ChatMessage = { role: "assistant", content: null, tool_calls: [toolCall] };
        takePending(reply, pending);
        messages.push(reply);
      }
      return;
    }
    case "function_call_output": {
      const result = item as Extract<ResponsesInputItem, { type: "function_call_output" }>;
      messages.push({ role: "tool", tool_call_id: result.call_id, content: partsText(result.output, `${where}.output`, dropped) });
      return;
    }
    case "reasoning": {
      const detail = detailFromReasoningItem(item as Extract<ResponsesInputItem, { type: "reasoning" }>, pending.details.length);
      if (detail) {
        pending.details.push(detail);
        pending.where.push(where);
      } else dropped.push(`${where} (reasoning items have no Chat Completions form)`);
      return;
    }
    default:
      dropped.push(`${where} (${String(item.type)} items are served by Responses upstreams only)`);
  }
}

/** The text of string content or of its text parts (Chat's system, assistant and tool messages take text). */
function partsText(content: string | ResponsesContentPart[], where: string, dropped: string[]): string {
  if (typeof content === "string") return content;
  return content
    .map((part, j) => {
      if (part.type === "input_text" || part.type === "output_text") return part.text;
      if (part.type === "refusal") return part.refusal;
      dropped.push(`${where}[${j}] (${part.type} is not accepted in this message in Chat Completions)`);
      return "";
    })
    .join("");
}

function userContent(content: string | ResponsesContentPart[], where: string, dropped: string[]): string | ChatPart[] {
  if (typeof content === "string") return content;
  const parts: ChatPart[] = [];
  content.forEach((part, j) => {
    if (part.type === "input_text" || part.type === "output_text") parts.push({ type: "text", text: part.text });
    else if (part.type === "input_image" && part.image_url)
      parts.push({ type: "image_url", image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) } });
    else if (part.type === "input_file" && part.file_data)
      parts.push({ type: "file", file: { file_data: part.file_data, ...(part.filename ? { filename: part.filename } : {}) } });
    else dropped.push(`${where}[${j}] (${part.type === "refusal" ? "a refusal" : `${part.type} by file_id or URL`} has no Chat Completions form)`);
  });
  return parts;
}

// ---- parameters ----

function applyTools(request: ResponsesRequest, body: Json, dropped: string[]): void {
  const tools: Json[] = [];
  (request.tools ?? []).forEach((tool, i) => {
    if (tool.type !== "function") {
      dropped.push(`tools[${i}] (${tool.type} tools are served by Responses upstreams only)`);
      return;
    }
    const fn: Json = { name: tool.name };
    if (typeof tool.description === "string") fn.description = tool.description;
    if (isRecord(tool.parameters)) fn.parameters = tool.parameters;
    if (typeof tool.strict === "boolean") fn.strict = tool.strict;
    tools.push({ type: "function", function: fn });
  });
  if (tools.length > 0) body.tools = tools;
  const choice = request.tool_choice;
  if (choice === undefined) return;
  if (typeof choice === "string") {
    if (tools.length > 0 || choice === "none") body.tool_choice = choice;
    else dropped.push(`tool_choice ${JSON.stringify(choice)} (no function tools were given)`);
  } else if (choice.type === "function" && typeof choice.name === "string") body.tool_choice = { type: "function", function: { name: choice.name } };
  else dropped.push(`tool_choice ${JSON.stringify(choice)} (only function tool choices have a Chat Completions form)`);
}

function applyFormat(request: ResponsesRequest, body: Json): void {
  const format = request.text?.format;
  if (!format || format.type === "text") return;
  if (format.type === "json_object") {
    body.response_format = { type: "json_object" };
    return;
  }
  const schema: Json = { name: format.name, schema: format.schema };
  if (typeof format.strict === "boolean") schema.strict = format.strict;
  if (typeof format.description === "string") schema.description = format.description;
  body.response_format = { type: "json_schema", json_schema: schema };
}

// ---- answer ----

/** Item ids derived from the response's own id, so one answer's ids are stable and distinct. */
export function itemId(responseId: string, prefix: "msg" | "fc" | "rs", index: number): string {
  return `${prefix}_${responseId.replace(/^resp_/, "")}_${index}`;
}

/** A non-streamed chat.completion → a Response. */
export function chatResponseToResponses(completion: Json, shape: ResponseShape): Json {
  const choice = Array.isArray(completion.choices) && isRecord(completion.choices[0]) ? completion.choices[0] : {};
  const message = isRecord(choice.message) ? choice.message : {};
  const output: Json[] = [];
  const reasoning = typeof message.reasoning_content === "string" ? message.reasoning_content : typeof message.reasoning === "string" ? message.reasoning : "";
  const details = reasoningDetailsOf(message);
  // Signed reasoning: an item per block, its signature kept for the next request (reasoning-details.ts).
  for (const detail of details) {
    const sealed = encryptedContentOf(detail);
    output.push({
      ...reasoningItem(itemId(shape.id, "rs", output.length), detail.type === "reasoning.text" && detail.text ? detail.text : null),
      ...(sealed ? { encrypted_content: sealed } : {}),
    });
  }
  if (reasoning && details.length === 0) output.push(reasoningItem(itemId(shape.id, "rs", output.length), reasoning));
  const { status, incomplete } = statusForFinish(typeof choice.finish_reason === "string" ? choice.finish_reason : null);
  const text = typeof message.content === "string" ? message.content : "";
  const refusal = typeof message.refusal === "string" ? message.refusal : "";
  if (refusal)
    output.push({
      id: itemId(shape.id, "msg", output.length),
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "refusal", refusal }],
    });
  else if (text) output.push(messageItem(itemId(shape.id, "msg", output.length), text, status === "incomplete" ? "incomplete" : "completed"));
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls.filter(isRecord) : []) {
    const fn = isRecord(call.function) ? call.function : {};
    output.push(
      functionCallItem(
        itemId(shape.id, "fc", output.length),
        String(call.id ?? ""),
        String(fn.name ?? ""),
        typeof fn.arguments === "string" ? fn.arguments : "{}",
      ),
    );
  }
  return responseObject(shape, status, output, { incomplete_details: incomplete, usage: usageToResponses(completion.usage) });
}
