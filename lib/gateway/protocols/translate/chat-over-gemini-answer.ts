/**
 * A Gemini upstream's answer → Chat Completions, for a Chat client (and, through the hub,
 * a Messages or Responses client) served by a Gemini provider: a GenerateContentResponse →
 * a chat.completion, and the `alt=sse` stream of GenerateContentResponse chunks →
 * chat.completion.chunk events. Thought parts become reasoning_content, functionCall parts
 * tool calls (ids made here: Gemini has none), finishReason finish_reason and
 * usageMetadata usage (reference/zenmux-docs/api/protocol-conversion.md, "Response Field
 * Conversion", "Usage Field Conversion"). The request half is chat-over-gemini.ts. Pure.
 */
import { eventJson, type SseEvent } from "../../sse.ts";
import { isRecord } from "../openai-responses/response-object.ts";
import { geminiCallId } from "./chat-over-gemini.ts";

type Json = Record<string, unknown>;
type ChatShape = { model: string; id: string; created: number };

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

const FINISH_REASONS: Record<string, string> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  BLOCKLIST: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  SPII: "content_filter",
  IMAGE_SAFETY: "content_filter",
  LANGUAGE: "content_filter",
};

/** Gemini finishReason → finish_reason: a turn that called tools ends in tool_calls. */
export function finishForGemini(reason: unknown, hasToolCalls: boolean): string {
  const finish = FINISH_REASONS[text(reason)] ?? "stop";
  return finish === "stop" && hasToolCalls ? "tool_calls" : finish;
}

/**
 * usageMetadata → Chat usage. Gemini's promptTokenCount INCLUDES cachedContentTokenCount,
 * as Chat's prompt_tokens includes cached_tokens; its candidatesTokenCount EXCLUDES
 * thoughtsTokenCount, which Chat's completion_tokens includes.
 */
export function usageToChatFromGemini(usage: unknown): Json {
  const u = isRecord(usage) ? usage : {};
  const prompt = count(u.promptTokenCount) + count(u.toolUsePromptTokenCount);
  const thoughts = count(u.thoughtsTokenCount);
  const completion = count(u.candidatesTokenCount) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: count(u.cachedContentTokenCount) },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

const callNonce = (shape: ChatShape) => shape.id.replace(/^chatcmpl-/, "");

function toolCall(part: Json, index: number, shape: ChatShape): Json {
  const call = isRecord(part.functionCall) ? part.functionCall : {};
  const signature = text(part.thoughtSignature) || null;
  return {
    id: geminiCallId(index, callNonce(shape), signature),
    type: "function",
    function: { name: text(call.name), arguments: JSON.stringify(isRecord(call.args) ? call.args : {}) },
  };
}

function firstCandidate(response: Json): Json | null {
  const candidates = Array.isArray(response.candidates) ? response.candidates.filter(isRecord) : [];
  return candidates[0] ?? null;
}

const partsOf = (candidate: Json | null): Json[] =>
  candidate && isRecord(candidate.content) && Array.isArray(candidate.content.parts) ? candidate.content.parts.filter(isRecord) : [];

/** A prompt Google refused to answer at all has no candidate, only promptFeedback.blockReason. */
const blocked = (response: Json): boolean =>
  firstCandidate(response) === null && isRecord(response.promptFeedback) && typeof response.promptFeedback.blockReason === "string";

export function geminiToChatCompletion(response: Json, shape: ChatShape): Json {
  const candidate = firstCandidate(response);
  let content = "";
  let reasoning = "";
  const toolCalls: Json[] = [];
  for (const part of partsOf(candidate)) {
    if (part.functionCall !== undefined) toolCalls.push(toolCall(part, toolCalls.length, shape));
    else if (part.thought === true) reasoning += text(part.text);
    else content += text(part.text);
  }
  const message: Json = { role: "assistant", content: content || toolCalls.length === 0 ? content : null, refusal: null };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const finish = blocked(response) ? "content_filter" : finishForGemini(candidate?.finishReason, toolCalls.length > 0);
  return {
    id: shape.id,
    object: "chat.completion",
    created: shape.created,
    model: shape.model,
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
    usage: usageToChatFromGemini(response.usageMetadata),
  };
}

export interface ChatStreamTranslator {
  push(event: SseEvent): SseEvent[];
  finish(): SseEvent[];
}

/**
 * Gemini chunks → Chat chunks. Gemini has no end marker: the chunk with a finishReason is
 * the last with content, and its usageMetadata the totals, so the finish chunk goes out
 * then and the usage chunk and [DONE] when the upstream closes. A stream that closes
 * without a finishReason ended early.
 */
export function createGeminiToChatStream(options: ChatShape & { includeUsage: boolean }): ChatStreamTranslator {
  let started = false;
  let closed = false;
  let finished = false;
  let toolCount = 0;
  let usage: unknown = null;
  const base = () => ({ id: options.id, object: "chat.completion.chunk", created: options.created, model: options.model });
  const chunk = (delta: Json, finish: string | null = null): SseEvent => ({
    data: JSON.stringify({
      ...base(),
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      ...(options.includeUsage ? { usage: null } : {}),
    }),
  });
  const opening = (): SseEvent[] => {
    if (started) return [];
    started = true;
    return [chunk({ role: "assistant", content: "" })];
  };
  const fail = (message: string, code = "502"): SseEvent[] => {
    closed = true;
    return [{ data: JSON.stringify({ error: { message, type: "provider_error", code } }) }];
  };
  return {
    push(event) {
      if (closed) return [];
      // Parsed once per event: the tally read it already.
      const data = eventJson(event);
      if (data === undefined) return fail("The provider sent an unreadable stream event");
      if (!isRecord(data)) return [];
      if (isRecord(data.error))
        return fail(
          `The provider's stream failed (${text(data.error.status) || "error"}): ${text(data.error.message) || "no reason given"}`,
          String(count(data.error.code) || 502),
        );
      if (data.usageMetadata !== undefined) usage = data.usageMetadata;
      // After the finish, a chunk can only add usage.
      if (finished) return [];
      const candidate = firstCandidate(data);
      const out = opening();
      for (const part of partsOf(candidate)) {
        if (part.functionCall !== undefined) out.push(chunk({ tool_calls: [{ index: toolCount, ...toolCall(part, toolCount++, options) }] }));
        else if (text(part.text)) out.push(chunk(part.thought === true ? { reasoning_content: text(part.text) } : { content: text(part.text) }));
      }
      if (candidate?.finishReason !== undefined || blocked(data)) {
        finished = true;
        out.push(chunk({}, blocked(data) ? "content_filter" : finishForGemini(candidate?.finishReason, toolCount > 0)));
      }
      return out;
    },
    finish() {
      if (closed) return [];
      if (!finished) return fail("The provider's stream ended early");
      closed = true;
      const out: SseEvent[] = options.includeUsage ? [{ data: JSON.stringify({ ...base(), choices: [], usage: usageToChatFromGemini(usage) }) }] : [];
      return [...out, { data: "[DONE]" }];
    },
  };
}
