/**
 * Chat Completions chunks → Gemini `alt=sse` events, for a Gemini client served by a Chat
 * upstream; also the finish-reason and usage tables the JSON answer (gemini-over-chat.ts)
 * shares. Pure: one translator per response, fed the upstream's events in order.
 *
 * Every Gemini event is `data: <GenerateContentResponse>` with no event name, and the
 * stream has no end marker. Text and thoughts go out as they come, one Gemini chunk per
 * Chat chunk. Gemini never streams a call's arguments in pieces, so tool-call fragments
 * are gathered per index and sent whole, as functionCall parts, in the last chunk, which
 * carries finishReason and usageMetadata together, as Google sends them. With
 * include_usage Chat sends its usage after the finish chunk, so that last chunk waits for
 * the usage (or [DONE]). A stream that ends without a finish_reason ended early: an error
 * event, never a finishReason (messages-over-chat-stream.ts keeps the same contract).
 */
import { GatewayError } from "../../errors.ts";
import { eventJson, type SseEvent } from "../../sse.ts";
import { googleErrorBody } from "../google-gemini/errors.ts";
import { isRecord } from "../openai-responses/response-object.ts";

type Json = Record<string, unknown>;

/** What an answer is written for; `includeThoughts: false` leaves reasoning out (Google sends thoughts only when asked). */
export type GeminiAnswerShape = { model: string; responseId: string; includeThoughts?: boolean };

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

const FINISH_REASONS: Record<string, string> = { stop: "STOP", tool_calls: "STOP", function_call: "STOP", length: "MAX_TOKENS", content_filter: "SAFETY" };

/** Chat finish_reason → Gemini finishReason (a missing or unknown one: STOP). */
export function finishReasonToGemini(finish: unknown): string {
  return FINISH_REASONS[text(finish)] ?? "STOP";
}

/**
 * Chat usage → usageMetadata, the inverse of usageToChatFromGemini: Chat's completion_tokens
 * include the reasoning tokens that Gemini counts apart (thoughtsTokenCount); both
 * prompt counts include the cached tokens. The optional counts appear only when non-zero.
 */
export function usageToGeminiFromChat(usage: unknown): Json {
  const u = isRecord(usage) ? usage : {};
  const prompt = count(u.prompt_tokens);
  const completion = count(u.completion_tokens);
  const cached = count(isRecord(u.prompt_tokens_details) ? u.prompt_tokens_details.cached_tokens : 0);
  const thoughts = Math.min(completion, count(isRecord(u.completion_tokens_details) ? u.completion_tokens_details.reasoning_tokens : 0));
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: completion - thoughts,
    totalTokenCount: prompt + completion,
    ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
  };
}

/**
 * Chat's arguments string → Gemini's args object. Arguments that are not a JSON object
 * (cut off at max tokens, say) are kept, under `arguments` (or `value` for other JSON),
 * so the client's tool refuses them visibly instead of running with none.
 */
export function argsFromChat(argumentsText: unknown): Json {
  const raw = text(argumentsText);
  if (!raw.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : { value: parsed };
  } catch {
    return { arguments: raw };
  }
}

function functionCallPart(id: string, name: string, argumentsText: string): Json {
  return { functionCall: { name, args: argsFromChat(argumentsText), ...(id ? { id } : {}) } };
}

/** A whole answer's parts, in Google's order: thoughts, text, calls. `calls` are Chat tool_calls. */
export function answerParts(answer: { reasoning: string; content: string; calls: Json[] }, shape: GeminiAnswerShape): Json[] {
  const parts: Json[] = [];
  if (answer.reasoning && shape.includeThoughts !== false) parts.push({ text: answer.reasoning, thought: true });
  if (answer.content) parts.push({ text: answer.content });
  for (const call of answer.calls) {
    const fn = isRecord(call.function) ? call.function : {};
    parts.push(functionCallPart(text(call.id), text(fn.name), text(fn.arguments)));
  }
  return parts;
}

/** The fields every GenerateContentResponse carries after its candidates and usage. */
export function geminiEnvelope(fields: Json, shape: GeminiAnswerShape): Json {
  return { ...fields, modelVersion: shape.model, responseId: shape.responseId };
}

type ToolBuffer = { id: string; name: string; fragments: string[] };

class ChatToGeminiStream implements GeminiStreamTranslator {
  private closed = false;
  private finishReason: string | null = null;
  /** The parts that go out with finishReason, held until the usage (or the end) arrives. */
  private finalParts: Json[] = [];
  private usage: Json | null = null;
  private readonly tools = new Map<number, ToolBuffer>();

  constructor(private readonly shape: GeminiAnswerShape) {}

  push(event: SseEvent): SseEvent[] {
    if (this.closed) return [];
    if (event.data.trim() === "[DONE]") return this.end();
    const chunk = eventJson(event);
    if (chunk === undefined) return this.fail(new GatewayError(502, "provider_error", "The provider sent an unreadable stream event"));
    if (!isRecord(chunk)) return [];
    if (isRecord(chunk.error))
      return this.fail(
        new GatewayError(upstreamStatus(chunk.error), "provider_error", `The provider's stream failed: ${text(chunk.error.message) || "no reason given"}`),
      );
    if (isRecord(chunk.usage)) this.usage = chunk.usage;
    // After the finish, a chunk can only bring the usage the last chunk waits for.
    if (this.finishReason !== null) return this.usage ? this.end() : [];
    const choices = Array.isArray(chunk.choices) ? chunk.choices.filter(isRecord) : [];
    const choice = choices.find((c) => count(c.index) === 0);
    if (!choice) return [];
    const parts = this.delta(isRecord(choice.delta) ? choice.delta : {});
    if (typeof choice.finish_reason !== "string") return parts.length > 0 ? [this.chunk(parts)] : [];
    this.finishReason = choice.finish_reason;
    this.finalParts = parts;
    return this.usage ? this.end() : [];
  }

  finish(): SseEvent[] {
    if (this.closed) return [];
    if (this.finishReason === null) return this.fail(new GatewayError(502, "provider_error", "The provider's stream ended early"));
    return this.end();
  }

  fail(error: GatewayError): SseEvent[] {
    if (this.closed) return [];
    this.closed = true;
    return [{ data: JSON.stringify(googleErrorBody(error)) }];
  }

  private delta(delta: Json): Json[] {
    const parts: Json[] = [];
    const reasoning = text(delta.reasoning_content) || text(delta.reasoning);
    if (reasoning && this.shape.includeThoughts !== false) parts.push({ text: reasoning, thought: true });
    if (text(delta.content)) parts.push({ text: text(delta.content) });
    for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls.filter(isRecord) : []) {
      const fn = isRecord(call.function) ? call.function : {};
      const index = count(call.index);
      const buffer = this.tools.get(index) ?? { id: "", name: "", fragments: [] };
      this.tools.set(index, buffer);
      buffer.id ||= text(call.id);
      buffer.name ||= text(fn.name);
      if (text(fn.arguments)) buffer.fragments.push(text(fn.arguments));
    }
    return parts;
  }

  private chunk(parts: Json[], final: Json = {}): SseEvent {
    const candidate = { content: { role: "model", parts }, ...final, index: 0 };
    const usage = final.finishReason !== undefined && this.usage ? { usageMetadata: usageToGeminiFromChat(this.usage) } : {};
    return { data: JSON.stringify(geminiEnvelope({ candidates: [candidate], ...usage }, this.shape)) };
  }

  /** The last chunk: held parts, the whole tool calls in index order, finishReason and usage. */
  private end(): SseEvent[] {
    this.closed = true;
    const calls = [...this.tools.entries()].sort(([a], [b]) => a - b).map(([, call]) => functionCallPart(call.id, call.name, call.fragments.join("")));
    return [this.chunk([...this.finalParts, ...calls], { finishReason: finishReasonToGemini(this.finishReason) })];
  }
}

/** An upstream error chunk's HTTP status, when it names one (OpenAI-style `code: 429` or "429"); else 502. */
function upstreamStatus(error: Json): number {
  const code = Number(error.code ?? error.status);
  return Number.isInteger(code) && code >= 400 && code < 600 ? code : 502;
}

/** The EventTranslator shape (surfaces/types.ts), fail() included: it ends the stream as Google does, with an error object. */
export interface GeminiStreamTranslator {
  push(event: SseEvent): SseEvent[];
  finish(): SseEvent[];
  fail(error: GatewayError): SseEvent[];
}

/** A translator for one streamed answer. */
export function createChatToGeminiStream(shape: GeminiAnswerShape): GeminiStreamTranslator {
  return new ChatToGeminiStream(shape);
}
