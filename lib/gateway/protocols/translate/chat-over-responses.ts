/**
 * Chat Completions request → OpenAI Responses request: the inverse of
 * responsesRequestToChat (responses-over-chat.ts), so that a Responses request sent
 * through the Chat hub and back keeps its meaning (the property test), and the request
 * half of a Chat client over a Responses upstream. Pure. What Responses cannot express
 * is left out and named in `dropped` (reference/zenmux-docs/api/protocol-conversion.md,
 * "Chat Completions → Responses").
 */
import { GATEWAY_ONLY_FIELDS } from "../gateway-options.ts";
import { MIN_OUTPUT_TOKENS } from "../openai-responses/request-schema.ts";
import { isRecord } from "../openai-responses/response-object.ts";
import type { Translated } from "./responses-over-chat.ts";

type Json = Record<string, unknown>;
type ChatMessage = { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown };

const HANDLED_FIELDS = new Set<string>([
  ...GATEWAY_ONLY_FIELDS,
  ...[
    "model",
    "messages",
    "stream",
    "stream_options",
    "max_tokens",
    "max_completion_tokens",
    "temperature",
    "top_p",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
  ],
  ...["reasoning_effort", "response_format", "verbosity", "metadata", "user", "store"],
]);

export function chatRequestToResponses(request: Json): Translated<Json> {
  const dropped: string[] = [];
  const messages = (Array.isArray(request.messages) ? request.messages : []).filter(isRecord) as ChatMessage[];
  // Leading system messages are the instructions; later ones stay where they are, as items.
  let first = 0;
  const instructions: string[] = [];
  while (first < messages.length && messages[first].role === "system") instructions.push(textOf(messages[first++].content));
  const body: Json = { model: request.model };
  if (instructions.length > 0) body.instructions = instructions.join("\n\n");
  body.input = messages.slice(first).flatMap((message, i) => itemsOf(message, `messages[${first + i}]`, dropped));
  const max = request.max_completion_tokens ?? request.max_tokens;
  if (typeof max === "number") {
    body.max_output_tokens = Math.max(max, MIN_OUTPUT_TOKENS);
    if (max < MIN_OUTPUT_TOKENS) dropped.push(`max_tokens ${max} (raised to ${MIN_OUTPUT_TOKENS}, the Responses minimum)`);
  }
  for (const key of ["temperature", "top_p", "parallel_tool_calls", "metadata", "user"])
    if (request[key] !== undefined && request[key] !== null) body[key] = request[key];
  applyTools(request, body);
  if (typeof request.reasoning_effort === "string") body.reasoning = { effort: request.reasoning_effort };
  const text: Json = {};
  const format = isRecord(request.response_format) ? request.response_format : null;
  if (format?.type === "json_object") text.format = { type: "json_object" };
  if (format?.type === "json_schema" && isRecord(format.json_schema)) text.format = { type: "json_schema", ...format.json_schema };
  if (typeof request.verbosity === "string") text.verbosity = request.verbosity;
  if (Object.keys(text).length > 0) body.text = text;
  if (request.stream === true) body.stream = true;
  body.store = false;
  for (const key of Object.keys(request)) if (!HANDLED_FIELDS.has(key) && request[key] !== undefined) dropped.push(`${key} (no Responses equivalent)`);
  return { body, dropped };
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : isRecord(part) && typeof part.refusal === "string" ? part.refusal : ""))
    .join("");
}

function itemsOf(message: ChatMessage, where: string, dropped: string[]): Json[] {
  switch (message.role) {
    case "user":
      return [{ type: "message", role: "user", content: userContent(message.content, where, dropped) }];
    case "system":
    case "developer":
      return [{ type: "message", role: message.role, content: textOf(message.content) }];
    case "assistant": {
      const items: Json[] = [];
      const reply = textOf(message.content);
      if (reply) items.push({ type: "message", role: "assistant", content: reply });
      for (const call of Array.isArray(message.tool_calls) ? message.tool_calls.filter(isRecord) : []) {
        const fn = isRecord(call.function) ? call.function : {};
        items.push({
          type: "function_call",
          call_id: String(call.id ?? ""),
          name: String(fn.name ?? ""),
          arguments: typeof fn.arguments === "string" ? fn.arguments : "{}",
        });
      }
      return items;
    }
    case "tool":
      return [{ type: "function_call_output", call_id: String(message.tool_call_id ?? ""), output: textOf(message.content) }];
    default:
      dropped.push(`${where} (the ${message.role} role has no Responses form)`);
      return [];
  }
}

function userContent(content: unknown, where: string, dropped: string[]): string | Json[] {
  if (typeof content === "string") return content;
  const parts: Json[] = [];
  (Array.isArray(content) ? content : []).forEach((part, j) => {
    if (!isRecord(part)) return;
    if (part.type === "text" && typeof part.text === "string") parts.push({ type: "input_text", text: part.text });
    else if (part.type === "image_url") {
      const image = isRecord(part.image_url) ? part.image_url : { url: part.image_url };
      if (typeof image.url === "string")
        parts.push({ type: "input_image", image_url: image.url, ...(typeof image.detail === "string" ? { detail: image.detail } : {}) });
    } else if (part.type === "file" && isRecord(part.file) && typeof part.file.file_data === "string") {
      parts.push({ type: "input_file", file_data: part.file.file_data, ...(typeof part.file.filename === "string" ? { filename: part.file.filename } : {}) });
    } else dropped.push(`${where}.content[${j}] (${String(part.type)} parts have no Responses form)`);
  });
  return parts;
}

function applyTools(request: Json, body: Json): void {
  const tools = (Array.isArray(request.tools) ? request.tools : []).filter(isRecord).filter((tool) => isRecord(tool.function));
  if (tools.length > 0) {
    body.tools = tools.map((tool) => {
      const fn = tool.function as Json;
      return {
        type: "function",
        name: fn.name,
        ...(fn.description !== undefined ? { description: fn.description } : {}),
        ...(fn.parameters !== undefined ? { parameters: fn.parameters } : {}),
        ...(fn.strict !== undefined ? { strict: fn.strict } : {}),
      };
    });
  }
  const choice = request.tool_choice;
  if (typeof choice === "string") body.tool_choice = choice;
  else if (isRecord(choice) && isRecord(choice.function)) body.tool_choice = { type: "function", name: choice.function.name };
}
