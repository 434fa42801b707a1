/**
 * Anthropic Messages stream events → OpenAI Chat Completions chunks, for an OpenAI
 * client served by an Anthropic upstream. Pure: one translator per response, fed the
 * upstream's SSE events in order; it returns the events to write to the client.
 * Facts: /work/shared/PROTOCOLS.md ("Streams", "Usage").
 */
import type { SseEvent } from "../../sse.ts";
import { ANTHROPIC_REASONING_FORMAT } from "./reasoning-details.ts";

export interface StreamTranslator {
  push(event: SseEvent): SseEvent[];
  finish(): SseEvent[];
}

type Json = Record<string, unknown>;

export const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

const FINISH_REASONS: Record<string, string> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

/** Anthropic `stop_reason` → OpenAI `finish_reason`; null when there is none yet. */
export function stopReasonToFinish(stop: string | null | undefined): string | null {
  if (stop === null || stop === undefined) return null;
  return FINISH_REASONS[stop] ?? "stop";
}

/** Anthropic usage (input EXCLUDES cache reads and writes) → OpenAI usage (prompt INCLUDES them). */
export function usageToChat(usage: Json): Json {
  const cacheRead = count(usage.cache_read_input_tokens);
  const prompt = count(usage.input_tokens) + cacheRead + count(usage.cache_creation_input_tokens);
  const completion = count(usage.output_tokens);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cacheRead } };
}

/** HTTP status an Anthropic error type stands for, as the OpenAI-side `code`. */
const ERROR_STATUS: Record<string, string> = {
  invalid_request_error: "400",
  authentication_error: "401",
  billing_error: "402",
  permission_error: "403",
  not_found_error: "404",
  request_too_large: "413",
  rate_limit_error: "429",
  api_error: "500",
  overloaded_error: "529",
};

function errorEvent(message: string, code = "502"): SseEvent {
  return { data: JSON.stringify({ error: { message, type: "provider_error", code } }) };
}

function upstreamError(data: Json): SseEvent {
  const error = isRecord(data.error) ? data.error : {};
  const type = text(error.type) || "api_error";
  const message = text(error.message) || "The provider reported an error";
  return errorEvent(`The provider's stream failed (${type}): ${message}`, ERROR_STATUS[type] ?? "502");
}

type ToolSlot = { index: number; sentArguments: boolean; given: string };

interface State {
  started: boolean;
  closed: boolean;
  toolCount: number;
  tools: Map<number, ToolSlot>;
  /** content-block index → the reasoning detail index of a thinking or redacted_thinking block */
  reasoningBlocks: Map<number, number>;
  stopReason: string | null;
  usage: Json;
}

type Options = { model: string; id: string; created: number; includeUsage: boolean };

export function createMessagesToChatStream(options: Options): StreamTranslator {
  const state: State = { started: false, closed: false, toolCount: 0, tools: new Map(), reasoningBlocks: new Map(), stopReason: null, usage: {} };
  const chunks = chunkWriter(options);
  /** The role delta comes first, even if the upstream skipped message_start. */
  const deltas: Deltas = (...list) => {
    const out = state.started ? [] : [chunks.delta({ role: "assistant", content: "" })];
    state.started = true;
    return [...out, ...list.map((delta) => chunks.delta(delta))];
  };
  const close = (events: SseEvent[]): SseEvent[] => {
    state.closed = true;
    return events;
  };
  const stop = (): SseEvent[] => {
    const events = [...deltas(), chunks.delta({}, stopReasonToFinish(state.stopReason) ?? "stop")];
    if (options.includeUsage) events.push(chunks.usage(usageToChat(state.usage)));
    return close([...events, { data: "[DONE]" }]);
  };
  return {
    push(event) {
      if (state.closed) return [];
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return close([errorEvent("The provider sent an unreadable stream event")]);
      }
      if (!isRecord(data)) return [];
      const type = event.event ?? text(data.type);
      if (type === "message_stop") return stop();
      if (type === "error") return close([upstreamError(data)]);
      return handle(state, type, data, deltas);
    },
    finish() {
      return state.closed ? [] : close([errorEvent("The provider's stream ended early")]);
    },
  };
}

function chunkWriter(options: Options) {
  const base = () => ({ id: options.id, object: "chat.completion.chunk", created: options.created, model: options.model });
  return {
    delta: (delta: Json, finishReason: string | null = null): SseEvent => ({
      data: JSON.stringify({
        ...base(),
        choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
        ...(options.includeUsage ? { usage: null } : {}),
      }),
    }),
    usage: (usage: Json): SseEvent => ({ data: JSON.stringify({ ...base(), choices: [], usage }) }),
  };
}

function handle(state: State, type: string, data: Json, deltas: Deltas): SseEvent[] {
  switch (type) {
    case "message_start":
      state.usage = isRecord(data.message) && isRecord(data.message.usage) ? { ...data.message.usage } : {};
      return deltas();
    case "content_block_start":
      return blockStart(state, data, deltas);
    case "content_block_delta":
      return blockDelta(state, data, deltas);
    case "content_block_stop":
      return blockStop(state, data, deltas);
    case "message_delta":
      recordMessageDelta(state, data);
      return [];
    default:
      return []; // ping, and events added to the protocol later
  }
}

type Deltas = (...list: Json[]) => SseEvent[];

function blockStart(state: State, data: Json, deltas: Deltas): SseEvent[] {
  const block = isRecord(data.content_block) ? data.content_block : {};
  if (block.type === "tool_use") {
    // Anthropic starts with input {} and streams it; a compatible server may send it whole here instead (sent at the block's end if no delta came).
    const given = isRecord(block.input) && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : "{}";
    const slot: ToolSlot = { index: state.toolCount++, sentArguments: false, given };
    state.tools.set(count(data.index), slot);
    return deltas({ tool_calls: [{ index: slot.index, id: text(block.id), type: "function", function: { name: text(block.name), arguments: "" } }] });
  }
  if (block.type === "text" && text(block.text)) return deltas({ content: text(block.text) });
  if (block.type === "thinking" || block.type === "redacted_thinking") {
    const index = state.reasoningBlocks.size;
    state.reasoningBlocks.set(count(data.index), index);
    // Redacted thinking is whole at its start: its detail goes out at once (reasoning-details.ts).
    if (block.type === "redacted_thinking")
      return deltas({ reasoning_details: [{ type: "reasoning.encrypted", data: text(block.data), format: ANTHROPIC_REASONING_FORMAT, index }] });
    if (text(block.thinking)) return deltas({ reasoning_content: text(block.thinking) });
  }
  return [];
}

function blockDelta(state: State, data: Json, deltas: Deltas): SseEvent[] {
  const delta = isRecord(data.delta) ? data.delta : {};
  if (delta.type === "text_delta" && text(delta.text)) return deltas({ content: text(delta.text) });
  if (delta.type === "thinking_delta" && text(delta.thinking)) return deltas({ reasoning_content: text(delta.thinking) });
  if (delta.type === "signature_delta") {
    // The block's text went out as reasoning_content; its detail carries only the signature.
    const index = state.reasoningBlocks.get(count(data.index));
    if (index === undefined || !text(delta.signature)) return [];
    return deltas({ reasoning_details: [{ type: "reasoning.text", signature: text(delta.signature), format: ANTHROPIC_REASONING_FORMAT, index }] });
  }
  if (delta.type !== "input_json_delta") return []; // citations_delta
  const slot = state.tools.get(count(data.index));
  const fragment = text(delta.partial_json);
  if (!slot || !fragment) return [];
  slot.sentArguments = true;
  return deltas({ tool_calls: [{ index: slot.index, function: { arguments: fragment } }] });
}

/** A tool call without argument deltas: the input its block started with, or "{}" (a call still needs parseable arguments). */
function blockStop(state: State, data: Json, deltas: Deltas): SseEvent[] {
  const slot = state.tools.get(count(data.index));
  if (!slot || slot.sentArguments) return [];
  slot.sentArguments = true;
  return deltas({ tool_calls: [{ index: slot.index, function: { arguments: slot.given } }] });
}

/** message_delta usage is cumulative: output_tokens always, input and cache numbers when given. */
function recordMessageDelta(state: State, data: Json): void {
  const delta = isRecord(data.delta) ? data.delta : {};
  if (typeof delta.stop_reason === "string") state.stopReason = delta.stop_reason;
  const usage = isRecord(data.usage) ? data.usage : {};
  for (const key of ["input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"]) {
    if (typeof usage[key] === "number") state.usage[key] = usage[key];
  }
}
