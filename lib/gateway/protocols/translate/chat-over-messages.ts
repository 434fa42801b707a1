/**
 * OpenAI Chat Completions client, Anthropic Messages upstream: the request goes out as
 * a Messages body, the answer comes back as a chat.completion (streams: see
 * chat-over-messages-stream.ts). Pure. Facts: /work/shared/PROTOCOLS.md.
 * What Anthropic cannot express is left out and named in `dropped`.
 */
import { GATEWAY_ONLY_FIELDS } from "../gateway-options.ts";
import type { ChatMessage, ChatRequest } from "../openai-chat/request-schema.ts";
import { isRecord, stopReasonToFinish, usageToChat } from "./chat-over-messages-stream.ts";
import { blocksFromDetails, detailsFromBlocks, reasoningDetailsOf } from "./reasoning-details.ts";

export { createMessagesToChatStream, stopReasonToFinish, type StreamTranslator } from "./chat-over-messages-stream.ts";

export type Translated<T> = { body: T; dropped: string[] };

type Json = Record<string, unknown>;
type Turn = { role: "user" | "assistant"; content: Json[] };

const THINKING_BUDGETS: Record<string, number> = { low: 1024, medium: 4096, high: 16384, xhigh: 32768, max: 32768 };
/** Fields read below; anything else a client sends has no Anthropic equivalent. */
const HANDLED_FIELDS = new Set<string>([
  ...GATEWAY_ONLY_FIELDS,
  ...["model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "stop", "temperature", "top_p", "tools", "tool_choice"],
  ...[
    "parallel_tool_calls",
    "user",
    "reasoning_effort",
    "response_format",
    "n",
    "logprobs",
    "top_logprobs",
    "seed",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
  ],
]);

export function chatRequestToMessages(request: ChatRequest, options: { defaultMaxTokens: number }): Translated<Json> {
  const dropped: string[] = [];
  const { system, messages } = convertMessages(request.messages, dropped);
  const body: Json = { model: request.model };
  if (system) body.system = system;
  body.messages = messages;
  body.max_tokens = request.max_completion_tokens ?? request.max_tokens ?? options.defaultMaxTokens;
  applyStop(request, body, dropped);
  if (typeof request.temperature === "number") {
    body.temperature = Math.min(request.temperature, 1);
    if (request.temperature > 1) dropped.push(`temperature ${request.temperature} (clamped to 1, Anthropic's maximum)`);
  }
  if (typeof request.top_p === "number") body.top_p = request.top_p;
  applyTools(request, body, dropped);
  applyThinking(request, body, dropped);
  if (body.thinking === undefined) withoutThinkingBlocks(messages);
  if (request.user) body.metadata = { user_id: request.user };
  if (request.stream !== undefined) body.stream = request.stream;
  noteUnsupported(request, dropped);
  return { body, dropped };
}

// ---- messages ----

function convertMessages(messages: ChatMessage[], dropped: string[]): { system: string; messages: Turn[] } {
  const system: string[] = [];
  const turns: Turn[] = [];
  const append = (role: Turn["role"], blocks: Json[]) => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  messages.forEach((message, i) => {
    if (message.role === "system" || message.role === "developer") {
      const prompt = partsText(message.content);
      if (prompt) system.push(prompt);
    } else if (message.role === "user") append("user", userBlocks(message.content, `messages[${i}]`, dropped));
    else if (message.role === "assistant") append("assistant", assistantBlocks(message, `messages[${i}]`, dropped));
    else if (message.role === "tool")
      append("user", [{ type: "tool_result", tool_use_id: toolId(message.tool_call_id ?? ""), content: partsText(message.content) }]);
    else dropped.push(`messages[${i}] (the legacy "function" role; send tool messages instead)`);
  });
  return { system: system.join("\n\n"), messages: turns };
}

/** The text of string content or of its text (and refusal) parts. */
function partsText(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  return (content ?? []).map((part) => (typeof part.text === "string" ? part.text : typeof part.refusal === "string" ? part.refusal : "")).join("");
}

/** Anthropic tool ids must match ^[a-zA-Z0-9_-]+$; other providers' ids may not. */
const toolId = (id: string): string => id.replace(/[^a-zA-Z0-9_-]/g, "_") || "tool";

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function userBlocks(content: ChatMessage["content"], where: string, dropped: string[]): Json[] {
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  const blocks: Json[] = [];
  (content ?? []).forEach((part, j) => {
    const block = userPart(part);
    if (block) blocks.push(block);
    else if (part.type !== "text") dropped.push(`${where}.content[${j}] (${part.type} parts are not supported by Anthropic)`);
  });
  return blocks;
}

function userPart(part: { type: string; [key: string]: unknown }): Json | null {
  if (part.type === "text") return typeof part.text === "string" && part.text ? { type: "text", text: part.text } : null;
  if (part.type === "image_url") {
    const url = isRecord(part.image_url) ? part.image_url.url : part.image_url;
    if (typeof url !== "string") return null;
    const data = DATA_URL.exec(url);
    if (data) return { type: "image", source: { type: "base64", media_type: data[1], data: data[2] } };
    return /^https?:\/\//i.test(url) ? { type: "image", source: { type: "url", url } } : null;
  }
  if (part.type === "file" && isRecord(part.file) && typeof part.file.file_data === "string") {
    const data = DATA_URL.exec(part.file.file_data);
    if (data?.[1] === "application/pdf") return { type: "document", source: { type: "base64", media_type: data[1], data: data[2] } };
  }
  return null;
}

function assistantBlocks(message: ChatMessage, where: string, dropped: string[]): Json[] {
  const reply = partsText(message.content);
  // Signed thinking goes back first and unchanged, as Anthropic sent it (reasoning-details.ts).
  const blocks: Json[] = [...blocksFromDetails(reasoningDetailsOf(message)), ...(reply ? [{ type: "text", text: reply }] : [])];
  (message.tool_calls ?? []).forEach((call, j) => {
    blocks.push({
      type: "tool_use",
      id: toolId(call.id),
      name: call.function.name,
      input: parseArguments(call.function.arguments, `${where}.tool_calls[${j}]`, dropped),
    });
  });
  return blocks;
}

function parseArguments(args: string, where: string, dropped: string[]): Json {
  if (!args.trim()) return {};
  try {
    const input: unknown = JSON.parse(args);
    if (isRecord(input)) return input;
  } catch {
    // noted below
  }
  dropped.push(`${where}.function.arguments (not a JSON object; sent as {})`);
  return {};
}

// ---- parameters ----

function applyStop(request: ChatRequest, body: Json, dropped: string[]): void {
  if (request.stop === null || request.stop === undefined) return;
  const all = typeof request.stop === "string" ? [request.stop] : request.stop;
  // Anthropic rejects stop sequences that are only whitespace.
  const kept = all.filter((sequence) => sequence.trim() !== "");
  if (kept.length < all.length)
    dropped.push(`stop ${JSON.stringify(all.filter((sequence) => !kept.includes(sequence)))} (Anthropic rejects whitespace-only stop sequences)`);
  if (kept.length > 0) body.stop_sequences = kept;
}

function applyTools(request: ChatRequest, body: Json, dropped: string[]): void {
  const tools = request.tools ?? [];
  if (tools.length === 0) {
    if (request.tool_choice !== undefined && request.tool_choice !== "none") dropped.push("tool_choice (no tools were given)");
    return;
  }
  body.tools = tools.map((tool) => ({
    name: tool.function.name,
    ...(tool.function.description ? { description: tool.function.description } : {}),
    input_schema: tool.function.parameters ?? { type: "object", properties: {} },
  }));
  if (tools.some((tool) => tool.function.strict === true))
    dropped.push("tools[].function.strict (Anthropic does not enforce the schema; arguments may not match it)");
  const choice = toolChoice(request.tool_choice);
  if (request.parallel_tool_calls === false) {
    const limited = choice ?? { type: "auto" };
    if (limited.type === "none") body.tool_choice = limited;
    else body.tool_choice = { ...limited, disable_parallel_tool_use: true };
  } else if (choice) body.tool_choice = choice;
}

function toolChoice(choice: ChatRequest["tool_choice"]): Json | undefined {
  if (choice === undefined) return undefined;
  if (choice === "auto") return { type: "auto" };
  if (choice === "required") return { type: "any" };
  if (choice === "none") return { type: "none" };
  return { type: "tool", name: choice.function.name };
}

/** reasoning_effort → an extended-thinking budget, within what Anthropic allows with thinking on. */
function applyThinking(request: ChatRequest, body: Json, dropped: string[]): void {
  const effort = request.reasoning_effort;
  if (effort === undefined || effort === null || effort === "none" || effort === "minimal") return;
  const budget = typeof effort === "string" ? THINKING_BUDGETS[effort] : undefined;
  const forced = isRecord(body.tool_choice) && (body.tool_choice.type === "any" || body.tool_choice.type === "tool");
  if (budget === undefined || forced) {
    dropped.push(
      `reasoning_effort ${JSON.stringify(effort)} (${forced ? "Anthropic cannot think while a tool call is forced" : "expected low, medium or high"})`,
    );
    return;
  }
  if (unsignedToolLoop(body.messages as Turn[])) {
    dropped.push(
      `reasoning_effort ${JSON.stringify(effort)} (Anthropic thinks in a tool loop only when the assistant turn that began it is sent back with its signed thinking, and this one was not)`,
    );
    return;
  }
  body.thinking = { type: "enabled", budget_tokens: budget };
  const maxTokens = Number(body.max_tokens);
  if (maxTokens <= budget) {
    body.max_tokens = budget + 1024;
    dropped.push(`max_tokens ${maxTokens} (raised to ${budget + 1024}: it must exceed the ${budget}-token thinking budget)`);
  }
  if (typeof body.temperature === "number" && body.temperature !== 1) {
    dropped.push(`temperature ${body.temperature} (not allowed while Anthropic is thinking)`);
    delete body.temperature;
  }
  if (typeof body.top_p === "number" && body.top_p < 0.95) {
    dropped.push(`top_p ${body.top_p} (below 0.95 is not allowed while Anthropic is thinking)`);
    delete body.top_p;
  }
}

const isThinkingBlock = (block: Json): boolean => block.type === "thinking" || block.type === "redacted_thinking";

/**
 * The request continues a tool loop (its last user turn holds only tool results) whose
 * first assistant turn does not start with thinking: Anthropic refuses that with thinking
 * on ("a final assistant message must start with a thinking block … To avoid this
 * requirement, disable thinking"). A client that does not send reasoning_details back
 * (reasoning-details.ts) gets its answer without thinking instead of a 400.
 */
function unsignedToolLoop(turns: Turn[]): boolean {
  const lastUser = turns.findLastIndex((turn) => turn.role === "user");
  if (lastUser < 0 || !turns[lastUser].content.every((block) => block.type === "tool_result")) return false;
  // The loop began after the last user turn that said something of its own.
  const began = turns.findLastIndex((turn) => turn.role === "user" && !turn.content.every((block) => block.type === "tool_result"));
  const first = turns.slice(began + 1).find((turn) => turn.role === "assistant");
  return first !== undefined && !isThinkingBlock(first.content[0] ?? {});
}

/** Thinking off: thinking blocks sent back are left out (Anthropic refuses them in a final assistant turn, and ignores them elsewhere). */
function withoutThinkingBlocks(turns: Turn[]): void {
  for (const turn of turns) {
    if (turn.role !== "assistant" || !turn.content.some(isThinkingBlock)) continue;
    const rest = turn.content.filter((block) => !isThinkingBlock(block));
    if (rest.length > 0) turn.content = rest;
  }
}

function noteUnsupported(request: ChatRequest, dropped: string[]): void {
  const given = (key: string) => request[key] !== undefined && request[key] !== null;
  if (given("n") && request.n !== 1) dropped.push(`n ${request.n} (Anthropic returns one choice)`);
  if (request.logprobs === true) dropped.push("logprobs (Anthropic returns no log probabilities)");
  if (given("top_logprobs")) dropped.push("top_logprobs (Anthropic returns no log probabilities)");
  if (given("seed")) dropped.push("seed (Anthropic has no deterministic sampling)");
  for (const key of ["presence_penalty", "frequency_penalty", "logit_bias"]) if (given(key)) dropped.push(`${key} (Anthropic has no equivalent)`);
  const format = request.response_format?.type;
  if (format === "json_object" || format === "json_schema")
    dropped.push(`response_format ${format} (Anthropic has no JSON mode; the reply is not constrained)`);
  for (const key of Object.keys(request)) if (!HANDLED_FIELDS.has(key)) dropped.push(`${key} (no Anthropic equivalent)`);
}

// ---- response ----

/** A non-streamed Anthropic message → an OpenAI chat.completion. */
export function messageToChatResponse(message: Record<string, unknown>, options: { model: string; id?: string; created?: number }): Record<string, unknown> {
  const blocks = Array.isArray(message.content) ? message.content.filter(isRecord) : [];
  const joined = (type: string, field: string) =>
    blocks
      .filter((block) => block.type === type)
      .map((block) => (typeof block[field] === "string" ? block[field] : ""))
      .join("");
  const toolCalls = blocks
    .filter((block) => block.type === "tool_use")
    .map((block) => ({
      id: String(block.id ?? ""),
      type: "function",
      function: { name: String(block.name ?? ""), arguments: JSON.stringify(block.input ?? {}) },
    }));
  const content = joined("text", "text");
  const reply: Json = { role: "assistant", content: content || toolCalls.length === 0 ? content : null, refusal: null };
  if (blocks.some((block) => block.type === "thinking")) reply.reasoning_content = joined("thinking", "thinking");
  const details = detailsFromBlocks(blocks);
  if (details.length > 0) reply.reasoning_details = details;
  if (toolCalls.length > 0) reply.tool_calls = toolCalls;
  return {
    id: options.id ?? `chatcmpl-${typeof message.id === "string" ? message.id : "anthropic"}`,
    object: "chat.completion",
    created: options.created ?? Math.floor(Date.now() / 1000),
    model: options.model,
    choices: [
      {
        index: 0,
        message: reply,
        finish_reason: stopReasonToFinish(typeof message.stop_reason === "string" ? message.stop_reason : null) ?? "stop",
        logprobs: null,
      },
    ],
    usage: usageToChat(isRecord(message.usage) ? message.usage : {}),
  };
}
