/**
 * OpenAI Chat Completions chunks → Anthropic Messages stream events, for an Anthropic
 * client served by an OpenAI-style upstream. Pure: one translator per response, fed the
 * upstream's SSE events in order; it returns the events to write to the client.
 *
 * Anthropic blocks cannot be reopened once stopped, so only one block is open at a time:
 * text and thinking may be split into several blocks, but a tool call never is. While a
 * tool call is streaming, deltas for anything else (another tool index, text) are held
 * back and written as whole blocks, in order of appearance, when the message ends.
 * Facts: /work/shared/PROTOCOLS.md ("Streams", "Usage").
 */
import type { SseEvent } from "../../sse.ts";

export interface StreamTranslator {
  push(event: SseEvent): SseEvent[];
  finish(): SseEvent[];
}

type Json = Record<string, unknown>;
type Kind = "thinking" | "text" | "tool";
type Channel = { key: string; kind: Kind; id?: string; name?: string; fragments: string[] };

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

const STOP_REASONS: Record<string, string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  function_call: "tool_use",
  content_filter: "refusal",
};

/** OpenAI `finish_reason` → Anthropic `stop_reason` (a missing or unknown one ends the turn). */
export function chatFinishToStopReason(finish: string | null | undefined): string | null {
  if (finish === null || finish === undefined) return "end_turn";
  return STOP_REASONS[finish] ?? "end_turn";
}

/** The stop reason for a message; OpenAI says "stop" for a forced tool call, Anthropic clients need tool_use. */
export function stopReasonFor(finish: string | null | undefined, hasToolUse: boolean): string | null {
  const reason = chatFinishToStopReason(finish);
  return hasToolUse && reason === "end_turn" ? "tool_use" : reason;
}

/** OpenAI usage (prompt INCLUDES cached tokens) → Anthropic usage (input EXCLUDES cache reads). */
export function usageToAnthropic(usage: unknown): {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
} {
  const u = isRecord(usage) ? usage : {};
  const cached = count(isRecord(u.prompt_tokens_details) ? u.prompt_tokens_details.cached_tokens : 0);
  return {
    input_tokens: Math.max(0, count(u.prompt_tokens) - cached),
    output_tokens: count(u.completion_tokens),
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: 0,
  };
}

/** An upstream error body → Anthropic's error type. */
export function errorTypeFor(error: Json): string {
  const said = `${text(error.type)} ${String(error.code ?? "")} ${String(error.status ?? "")} ${text(error.message)}`.toLowerCase();
  if (/\b429\b|rate.?limit/.test(said)) return "rate_limit_error";
  if (/\b529\b|overloaded/.test(said)) return "overloaded_error";
  return "api_error";
}

function event(type: string, payload: Json = {}): SseEvent {
  return { event: type, data: JSON.stringify({ type, ...payload }) };
}

function errorEvent(type: string, message: string): SseEvent {
  return event("error", { error: { type, message } });
}

function parse(data: string): Json | null {
  try {
    const value: unknown = JSON.parse(data);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

function startBlock(channel: Channel): Json {
  if (channel.kind === "thinking") return { type: "thinking", thinking: "" };
  if (channel.kind === "text") return { type: "text", text: "" };
  return { type: "tool_use", id: channel.id ?? "", name: channel.name ?? "", input: {} };
}

function deltaEvent(index: number, kind: Kind, fragment: string): SseEvent {
  if (kind === "thinking") return event("content_block_delta", { index, delta: { type: "thinking_delta", thinking: fragment } });
  if (kind === "text") return event("content_block_delta", { index, delta: { type: "text_delta", text: fragment } });
  return event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: fragment } });
}

class ChatToMessagesStream implements StreamTranslator {
  private started = false;
  private ended = false;
  private nextIndex = 0;
  private live: { channel: Channel; index: number } | null = null;
  private readonly held = new Map<string, Channel>();
  private finishReason: string | null = null;
  private usage: Json | null = null;
  private producedChars = 0;
  private sawToolUse = false;

  constructor(private readonly options: { model: string; id: string; estimatedInputTokens: number }) {}

  push(sse: SseEvent): SseEvent[] {
    if (this.ended) return [];
    const data = sse.data.trim();
    if (data === "[DONE]") return [...this.start(), ...this.end()];
    const chunk = parse(data);
    if (!chunk) return [];
    if (isRecord(chunk.error)) return this.fail(errorTypeFor(chunk.error), text(chunk.error.message) || "The provider reported an error");
    const out = this.start();
    if (isRecord(chunk.usage)) this.usage = chunk.usage;
    const choices = Array.isArray(chunk.choices) ? chunk.choices.filter(isRecord) : [];
    const choice = choices.find((c) => count(c.index) === 0);
    if (!choice) return out;
    out.push(...this.delta(isRecord(choice.delta) ? choice.delta : {}));
    if (typeof choice.finish_reason === "string") this.finishReason = choice.finish_reason;
    return out;
  }

  finish(): SseEvent[] {
    if (this.ended) return [];
    if (this.finishReason === null) return this.fail("api_error", "the provider's stream ended early");
    return [...this.start(), ...this.end()];
  }

  private start(): SseEvent[] {
    if (this.started) return [];
    this.started = true;
    const { id, model, estimatedInputTokens } = this.options;
    const usage = { input_tokens: estimatedInputTokens, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
    return [event("message_start", { message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage } })];
  }

  private fail(type: string, message: string): SseEvent[] {
    this.ended = true;
    return [errorEvent(type, message)];
  }

  private delta(delta: Json): SseEvent[] {
    const out: SseEvent[] = [];
    const reasoning = text(delta.reasoning_content) || text(delta.reasoning);
    if (reasoning) out.push(...this.feed({ key: "thinking", kind: "thinking", fragments: [] }, reasoning));
    if (text(delta.content)) out.push(...this.feed({ key: "text", kind: "text", fragments: [] }, text(delta.content)));
    for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls.filter(isRecord) : []) {
      const fn = isRecord(call.function) ? call.function : {};
      const index = count(call.index);
      const header = { id: text(call.id) || undefined, name: text(fn.name) || undefined };
      out.push(...this.feed({ key: `tool:${index}`, kind: "tool", ...header, fragments: [] }, text(fn.arguments)));
    }
    return out;
  }

  /** Routes one fragment: to the open block, to a held-back channel, or to a newly opened block. */
  private feed(channel: Channel, fragment: string): SseEvent[] {
    this.producedChars += fragment.length;
    if (channel.kind === "tool") this.sawToolUse = true;
    if (this.live?.channel.key === channel.key) return fragment ? [deltaEvent(this.live.index, channel.kind, fragment)] : [];
    const held = this.held.get(channel.key);
    if (held) {
      held.id ??= channel.id;
      held.name ??= channel.name;
      if (fragment) held.fragments.push(fragment);
      return [];
    }
    if (fragment) channel.fragments.push(fragment);
    if (this.live?.channel.kind === "tool") {
      this.held.set(channel.key, channel);
      return [];
    }
    return [...this.closeLive(), ...this.open(channel)];
  }

  private open(channel: Channel): SseEvent[] {
    const index = this.nextIndex++;
    this.live = { channel, index };
    return [event("content_block_start", { index, content_block: startBlock(channel) }), ...channel.fragments.map((f) => deltaEvent(index, channel.kind, f))];
  }

  private closeLive(): SseEvent[] {
    if (!this.live) return [];
    const { channel, index } = this.live;
    this.live = null;
    const signature = channel.kind === "thinking" ? [event("content_block_delta", { index, delta: { type: "signature_delta", signature: "" } })] : [];
    return [...signature, event("content_block_stop", { index })];
  }

  private end(): SseEvent[] {
    this.ended = true;
    const out = this.closeLive();
    for (const channel of this.held.values()) out.push(...this.open(channel), ...this.closeLive());
    this.held.clear();
    const delta = { stop_reason: stopReasonFor(this.finishReason, this.sawToolUse), stop_sequence: null };
    out.push(event("message_delta", { delta, usage: this.finalUsage() }), event("message_stop"));
    return out;
  }

  private finalUsage(): Json {
    if (!this.usage) return { output_tokens: Math.ceil(this.producedChars / 4) };
    const usage = usageToAnthropic(this.usage);
    return { output_tokens: usage.output_tokens, input_tokens: usage.input_tokens, cache_read_input_tokens: usage.cache_read_input_tokens };
  }
}

/** A translator for one streamed response; `id` is the `msg_…` id the client sees. */
export function createChatToMessagesStream(options: { model: string; id: string; estimatedInputTokens: number }): StreamTranslator {
  return new ChatToMessagesStream(options);
}
