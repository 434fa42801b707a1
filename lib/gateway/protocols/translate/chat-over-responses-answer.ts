/**
 * A Responses upstream's answer → Chat Completions, for a Chat client (and, through the
 * hub, a Messages client) served by a Responses provider: the JSON Response → a
 * chat.completion, and the Responses event sequence → chat.completion.chunk events.
 * The request half is chat-over-responses.ts. Pure.
 */
import type { SseEvent } from "../../sse.ts";
import { isRecord } from "../openai-responses/response-object.ts";

type Json = Record<string, unknown>;
type ChatShape = { model: string; id: string; created: number };

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** Responses usage (input INCLUDES cached, output INCLUDES reasoning) → Chat usage (the same inclusions). */
export function usageToChatFromResponses(usage: unknown): Json {
  const u = isRecord(usage) ? usage : {};
  const prompt = count(u.input_tokens);
  const completion = count(u.output_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: count(u.total_tokens) || prompt + completion,
    prompt_tokens_details: { cached_tokens: count(isRecord(u.input_tokens_details) ? u.input_tokens_details.cached_tokens : 0) },
    completion_tokens_details: { reasoning_tokens: count(isRecord(u.output_tokens_details) ? u.output_tokens_details.reasoning_tokens : 0) },
  };
}

/** A Response's status → finish_reason (ZenMux's table: completed → stop, incomplete → length; a tool call → tool_calls). */
export function finishForResponse(response: Json, hasToolCalls: boolean): string {
  if (response.status === "incomplete") {
    const reason = isRecord(response.incomplete_details) ? response.incomplete_details.reason : null;
    return reason === "content_filter" ? "content_filter" : "length";
  }
  return hasToolCalls ? "tool_calls" : "stop";
}

function summaryText(item: Json): string {
  const parts = [...(Array.isArray(item.summary) ? item.summary : []), ...(Array.isArray(item.content) ? item.content : [])];
  return parts.map((part) => (isRecord(part) ? text(part.text) : "")).join("");
}

export function responseToChatCompletion(response: Json, shape: ChatShape): Json {
  const output = Array.isArray(response.output) ? response.output.filter(isRecord) : [];
  let content = "";
  let refusal = "";
  let reasoning = "";
  const toolCalls: Json[] = [];
  for (const item of output) {
    if (item.type === "message") {
      for (const part of Array.isArray(item.content) ? item.content.filter(isRecord) : []) {
        if (part.type === "output_text") content += text(part.text);
        if (part.type === "refusal") refusal += text(part.refusal);
      }
    } else if (item.type === "function_call")
      toolCalls.push({ id: text(item.call_id), type: "function", function: { name: text(item.name), arguments: text(item.arguments) || "{}" } });
    else if (item.type === "reasoning") reasoning += summaryText(item);
  }
  const message: Json = { role: "assistant", content: content || toolCalls.length === 0 ? content : null, refusal: refusal || null };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: shape.id,
    object: "chat.completion",
    created: shape.created,
    model: shape.model,
    choices: [{ index: 0, message, finish_reason: finishForResponse(response, toolCalls.length > 0), logprobs: null }],
    usage: usageToChatFromResponses(response.usage),
  };
}

export interface ChatStreamTranslator {
  push(event: SseEvent): SseEvent[];
  finish(): SseEvent[];
}

/** Responses events → Chat chunks; unknown and bookkeeping events (…added/…done without text) produce nothing. */
export function createResponsesToChatStream(options: ChatShape & { includeUsage: boolean }): ChatStreamTranslator {
  let started = false;
  let closed = false;
  /** output_index → the Chat tool index, and the arguments sent for it so far */
  const tools = new Map<number, { index: number; sent: string }>();
  /**
   * The rest of a call's arguments once its item is done: a server that streams no
   * argument deltas (or fewer than the whole) still has the full string in
   * function_call_arguments.done and output_item.done.
   */
  const rest = (outputIndex: number, whole: string): SseEvent[] => {
    const tool = tools.get(outputIndex);
    if (!tool || !whole.startsWith(tool.sent) || whole.length === tool.sent.length) return [];
    const fragment = whole.slice(tool.sent.length);
    tool.sent = whole;
    return deltas({ tool_calls: [{ index: tool.index, function: { arguments: fragment } }] });
  };
  const base = () => ({ id: options.id, object: "chat.completion.chunk", created: options.created, model: options.model });
  const chunk = (delta: Json, finish: string | null = null): SseEvent => ({
    data: JSON.stringify({
      ...base(),
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      ...(options.includeUsage ? { usage: null } : {}),
    }),
  });
  const deltas = (...list: Json[]): SseEvent[] => {
    const out = started ? [] : [chunk({ role: "assistant", content: "" })];
    started = true;
    return [...out, ...list.map((delta) => chunk(delta))];
  };
  const fail = (message: string, code = "502"): SseEvent[] => {
    closed = true;
    return [{ data: JSON.stringify({ error: { message, type: "provider_error", code } }) }];
  };
  return {
    push(event) {
      if (closed) return [];
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return fail("The provider sent an unreadable stream event");
      }
      if (!isRecord(data)) return [];
      const type = text(data.type) || event.event;
      switch (type) {
        case "response.output_text.delta":
          return text(data.delta) ? deltas({ content: text(data.delta) }) : [];
        case "response.reasoning_summary_text.delta":
        case "response.reasoning_text.delta":
          return text(data.delta) ? deltas({ reasoning_content: text(data.delta) }) : [];
        case "response.output_item.added": {
          const item = isRecord(data.item) ? data.item : {};
          if (item.type !== "function_call") return deltas();
          const index = tools.size;
          // Some servers put arguments in the added item already.
          tools.set(count(data.output_index), { index, sent: text(item.arguments) });
          return deltas({
            tool_calls: [{ index, id: text(item.call_id), type: "function", function: { name: text(item.name), arguments: text(item.arguments) } }],
          });
        }
        case "response.function_call_arguments.delta": {
          const tool = tools.get(count(data.output_index));
          if (!tool || !text(data.delta)) return [];
          tool.sent += text(data.delta);
          return deltas({ tool_calls: [{ index: tool.index, function: { arguments: text(data.delta) } }] });
        }
        case "response.function_call_arguments.done":
          return rest(count(data.output_index), text(data.arguments));
        case "response.output_item.done": {
          const item = isRecord(data.item) ? data.item : {};
          return item.type === "function_call" ? rest(count(data.output_index), text(item.arguments)) : [];
        }
        case "response.completed":
        case "response.incomplete": {
          const response = isRecord(data.response) ? data.response : {};
          closed = true;
          const out = [...deltas(), chunk({}, finishForResponse(response, tools.size > 0))];
          if (options.includeUsage) out.push({ data: JSON.stringify({ ...base(), choices: [], usage: usageToChatFromResponses(response.usage) }) });
          return [...out, { data: "[DONE]" }];
        }
        case "response.failed": {
          const response = isRecord(data.response) ? data.response : {};
          const error = isRecord(response.error) ? response.error : {};
          return fail(`The provider's response failed: ${text(error.message) || "no reason given"}`);
        }
        case "error":
          return fail(`The provider's stream failed: ${text(data.message) || "an error"}`);
        default:
          return type === "response.created" ? deltas() : [];
      }
    },
    finish() {
      return closed ? [] : fail("The provider's stream ended early");
    },
  };
}
