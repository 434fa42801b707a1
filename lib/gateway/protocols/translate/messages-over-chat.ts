/**
 * An Anthropic Messages client served by an OpenAI Chat Completions upstream: the
 * request (Anthropic → OpenAI) and the non-streamed response (OpenAI → Anthropic); the
 * stream translator lives in messages-over-chat-stream.ts and is re-exported here.
 * Pure: no I/O. What cannot be expressed is listed in `dropped`, never sent silently.
 * Facts: /work/shared/PROTOCOLS.md ("Translating between them").
 */
import { GATEWAY_ONLY_FIELDS } from "../gateway-options.ts";
import { stopReasonFor, usageToAnthropic } from "./messages-over-chat-stream.ts";

export { chatFinishToStopReason, createChatToMessagesStream, type StreamTranslator } from "./messages-over-chat-stream.ts";

export type AnthropicRequest = Record<string, unknown>;
export type Translated<T> = { body: T; dropped: string[] };

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const records = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

const HANDLED = new Set<string>([
  "model",
  "messages",
  "system",
  "max_tokens",
  "stop_sequences",
  "temperature",
  "top_p",
  "top_k",
  "metadata",
  "stream",
  "tools",
  "tool_choice",
  "thinking",
  "output_config",
  "cache_control",
  ...GATEWAY_ONLY_FIELDS,
]);
const MAX_STOP = 4;
const CACHE_NOTE = "cache_control (prompt-caching breakpoints; OpenAI upstreams cache automatically)";

function note(dropped: string[], message: string): void {
  if (!dropped.includes(message)) dropped.push(message);
}

/** The object blocks of a content list; notes cache_control wherever it appears. */
function blocksOf(content: unknown, dropped: string[]): Json[] {
  const blocks = records(content);
  if (blocks.some((b) => b.cache_control !== undefined && b.cache_control !== null)) note(dropped, CACHE_NOTE);
  return blocks;
}

function systemMessages(system: unknown, dropped: string[]): Json[] {
  const content =
    typeof system === "string"
      ? system
      : blocksOf(system, dropped)
          .map((b) => text(b.text))
          .filter(Boolean)
          .join("\n");
  return content ? [{ role: "system", content }] : [];
}

function imagePart(source: unknown, dropped: string[]): Json | null {
  const s = isRecord(source) ? source : {};
  if (s.type === "base64") return { type: "image_url", image_url: { url: `data:${text(s.media_type)};base64,${text(s.data)}` } };
  if (s.type === "url") return { type: "image_url", image_url: { url: text(s.url) } };
  note(dropped, `image blocks with a ${String(s.type)} source (only base64 and url images can be sent)`);
  return null;
}

function documentPart(block: Json, dropped: string[]): Json | null {
  const s = isRecord(block.source) ? block.source : {};
  if (s.type === "text") return { type: "text", text: text(s.data) };
  if (s.type === "content" && typeof s.content === "string") return { type: "text", text: s.content };
  if (s.type === "content")
    return {
      type: "text",
      text: records(s.content)
        .map((b) => text(b.text))
        .filter(Boolean)
        .join("\n"),
    };
  if (s.type === "base64")
    return { type: "file", file: { filename: text(block.title) || "document.pdf", file_data: `data:${text(s.media_type)};base64,${text(s.data)}` } };
  note(dropped, `document blocks with a ${String(s.type)} source (only base64, text and content documents can be sent)`);
  return null;
}

function userPart(block: Json, dropped: string[]): Json | null {
  if (block.type === "text") return { type: "text", text: text(block.text) };
  if (block.type === "image") return imagePart(block.source, dropped);
  if (block.type === "document") return documentPart(block, dropped);
  note(dropped, `${String(block.type)} blocks in user turns (no OpenAI equivalent)`);
  return null;
}

/** A tool_result → an OpenAI `tool` message (text only). */
function toolMessage(block: Json, dropped: string[]): Json {
  const parts = typeof block.content === "string" ? [{ type: "text", text: block.content }] : blocksOf(block.content, dropped);
  if (parts.some((p) => p.type !== "text")) note(dropped, "images and documents inside tool_result (OpenAI tool messages are text-only)");
  const content = parts
    .filter((p) => p.type === "text")
    .map((p) => text(p.text))
    .join("\n");
  return { role: "tool", tool_call_id: text(block.tool_use_id), content: block.is_error === true ? `Error: ${content}` : content };
}

/** A user turn → its tool results first (they must follow the assistant's tool_calls), then the rest as one user message. */
function userMessages(content: unknown, dropped: string[]): Json[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const tools: Json[] = [];
  const parts: Json[] = [];
  for (const block of blocksOf(content, dropped)) {
    if (block.type === "tool_result") tools.push(toolMessage(block, dropped));
    else {
      const part = userPart(block, dropped);
      if (part) parts.push(part);
    }
  }
  if (parts.length === 0) return tools;
  // Text-only turns become a plain string: the widest-supported form among OpenAI-style upstreams.
  const textOnly = parts.every((p) => p.type === "text");
  return [...tools, { role: "user", content: textOnly ? parts.map((p) => text(p.text)).join("\n") : parts }];
}

function assistantMessages(content: unknown, dropped: string[]): Json[] {
  if (typeof content === "string") return [{ role: "assistant", content }];
  const texts: string[] = [];
  const calls: Json[] = [];
  for (const block of blocksOf(content, dropped)) {
    if (block.type === "text") texts.push(text(block.text));
    else if (block.type === "tool_use")
      calls.push({ id: text(block.id), type: "function", function: { name: text(block.name), arguments: JSON.stringify(block.input ?? {}) } });
    else if (block.type === "thinking" || block.type === "redacted_thinking")
      note(dropped, "thinking blocks in assistant history (OpenAI upstreams take no reasoning input)");
    else note(dropped, `${String(block.type)} blocks in assistant turns (no OpenAI equivalent)`);
  }
  const joined = texts.filter(Boolean).join("\n");
  if (!joined && calls.length === 0) return [];
  return [{ role: "assistant", content: joined || null, ...(calls.length > 0 ? { tool_calls: calls } : {}) }];
}

function chatMessages(request: AnthropicRequest, dropped: string[]): Json[] {
  // Newer clients (Claude Code 2.x) put `system` turns inside messages; they stay system messages, in place.
  const turns = records(request.messages).flatMap((m) =>
    m.role === "assistant"
      ? assistantMessages(m.content, dropped)
      : m.role === "system"
        ? systemMessages(m.content, dropped)
        : userMessages(m.content, dropped),
  );
  return [...systemMessages(request.system, dropped), ...turns];
}

function functionTool(tool: Json, dropped: string[]): Json[] {
  if (tool.type !== undefined && tool.type !== null && tool.type !== "custom") {
    note(dropped, `tools of type ${String(tool.type)} (Anthropic server tools have no OpenAI equivalent)`);
    return [];
  }
  if (tool.cache_control !== undefined && tool.cache_control !== null) note(dropped, CACHE_NOTE);
  const fn: Json = { name: text(tool.name) };
  if (typeof tool.description === "string") fn.description = tool.description;
  fn.parameters = isRecord(tool.input_schema) ? tool.input_schema : { type: "object", properties: {} };
  if (typeof tool.strict === "boolean") fn.strict = tool.strict;
  return [{ type: "function", function: fn }];
}

const CHOICES: Record<string, string> = { auto: "auto", any: "required", none: "none" };

/** `tools`, `tool_choice` and `parallel_tool_calls`; nothing when no function tool is left. */
function toolFields(request: AnthropicRequest, dropped: string[]): Json {
  const tools = records(request.tools).flatMap((t) => functionTool(t, dropped));
  if (tools.length === 0) return {};
  const out: Json = { tools };
  const choice = isRecord(request.tool_choice) ? request.tool_choice : null;
  if (!choice) return out;
  if (choice.type === "tool") out.tool_choice = { type: "function", function: { name: text(choice.name) } };
  else if (typeof choice.type === "string" && CHOICES[choice.type]) out.tool_choice = CHOICES[choice.type];
  if (choice.disable_parallel_tool_use === true && choice.type !== "none") out.parallel_tool_calls = false;
  return out;
}

/** `thinking` (and `output_config.effort`) → `reasoning_effort`: low < 4096 ≤ medium < 16384 ≤ high budget tokens. */
function reasoningEffort(request: AnthropicRequest, dropped: string[]): string | undefined {
  const thinking = isRecord(request.thinking) ? request.thinking : null;
  if (thinking?.type === "enabled") {
    const budget = typeof thinking.budget_tokens === "number" ? thinking.budget_tokens : 0;
    return budget < 4096 ? "low" : budget < 16384 ? "medium" : "high";
  }
  if (thinking?.type === "disabled") return undefined;
  const effort = isRecord(request.output_config) ? text(request.output_config.effort) : "";
  if (effort) return effort === "low" || effort === "medium" ? effort : "high";
  if (thinking) note(dropped, `thinking type ${String(thinking.type)} (the upstream's default reasoning applies)`);
  return undefined;
}

/** `output_config.format` (JSON schema output) → `response_format`. */
function responseFormat(request: AnthropicRequest): Json | undefined {
  const format = isRecord(request.output_config) && isRecord(request.output_config.format) ? request.output_config.format : null;
  if (format?.type !== "json_schema" || !isRecord(format.schema)) return undefined;
  return { type: "json_schema", json_schema: { name: "output", schema: format.schema } };
}

function samplingFields(request: AnthropicRequest, dropped: string[]): Json {
  const out: Json = {};
  if (request.max_tokens !== undefined) out.max_tokens = request.max_tokens;
  const stops = Array.isArray(request.stop_sequences) ? request.stop_sequences.filter((s): s is string => typeof s === "string") : [];
  if (stops.length > 0) out.stop = stops.slice(0, MAX_STOP);
  if (stops.length > MAX_STOP) note(dropped, `stop_sequences beyond the first ${MAX_STOP} (OpenAI accepts at most ${MAX_STOP})`);
  if (typeof request.temperature === "number") out.temperature = request.temperature;
  if (typeof request.top_p === "number") out.top_p = request.top_p;
  if (request.top_k !== undefined && request.top_k !== null) note(dropped, "top_k (no OpenAI equivalent)");
  const user = isRecord(request.metadata) ? text(request.metadata.user_id) : "";
  if (user) out.user = user;
  return out;
}

/** An Anthropic Messages request → an OpenAI Chat Completions body (model copied through). */
export function messagesRequestToChat(request: AnthropicRequest): Translated<Record<string, unknown>> {
  const dropped: string[] = [];
  const body: Json = {};
  if (request.model !== undefined) body.model = request.model;
  body.messages = chatMessages(request, dropped);
  Object.assign(body, samplingFields(request, dropped), toolFields(request, dropped));
  const effort = reasoningEffort(request, dropped);
  if (effort) body.reasoning_effort = effort;
  const format = responseFormat(request);
  if (format) body.response_format = format;
  if (typeof request.stream === "boolean") body.stream = request.stream;
  if (request.stream === true) body.stream_options = { include_usage: true };
  if (request.cache_control !== undefined && request.cache_control !== null) note(dropped, CACHE_NOTE);
  for (const [key, value] of Object.entries(request)) {
    if (!HANDLED.has(key) && value !== undefined && value !== null) note(dropped, `${key} (no OpenAI equivalent)`);
  }
  return { body, dropped };
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  return records(content)
    .map((p) => text(p.text))
    .join("");
}

function toolUseBlock(call: Json, index: number): Json {
  const fn = isRecord(call.function) ? call.function : {};
  let input: unknown = {};
  try {
    input = JSON.parse(text(fn.arguments) || "{}");
  } catch {
    input = {};
  }
  return { type: "tool_use", id: text(call.id) || `toolu_${index}`, name: text(fn.name), input: isRecord(input) ? input : {} };
}

/** An OpenAI `chat.completion` → an Anthropic `message`. */
export function chatResponseToMessage(response: Record<string, unknown>, options: { model: string; id?: string }): Record<string, unknown> {
  const choice = records(response.choices)[0] ?? {};
  const message = isRecord(choice.message) ? choice.message : {};
  const content: Json[] = [];
  const thinking = text(message.reasoning_content) || text(message.reasoning);
  if (thinking) content.push({ type: "thinking", thinking, signature: "" });
  const answer = textOf(message.content) || text(message.refusal);
  if (answer) content.push({ type: "text", text: answer });
  content.push(...records(message.tool_calls).map(toolUseBlock));
  const finish = typeof choice.finish_reason === "string" ? choice.finish_reason : null;
  const id = options.id ?? `msg_${text(response.id).replace(/^chatcmpl-/, "") || Date.now().toString(36)}`;
  const stop_reason = stopReasonFor(
    finish,
    content.some((b) => b.type === "tool_use"),
  );
  return { id, type: "message", role: "assistant", model: options.model, content, stop_reason, stop_sequence: null, usage: usageToAnthropic(response.usage) };
}
