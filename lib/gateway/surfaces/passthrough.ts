/**
 * Same-protocol relays: the upstream's events go to the client as they are, but for
 * the served model's slug in `model`, OpenAI's usage chunk dropped when the client
 * did not ask for it, and an early end turned into an error event. Chunks are parsed
 * once (eventJson, shared with the tally); a chunk that needs no change is relayed as
 * it came. (Editing members in the upstream's text instead of re-serialising was slower
 * for chunks this small: bench/core-profile.ts.)
 */
import { GatewayError } from "../errors.ts";
import { anthropicStreamErrorEvent } from "../protocols/anthropic-messages/errors.ts";
import { googleStreamErrorEvent } from "../protocols/google-gemini/errors.ts";
import { openAiStreamErrorEvent } from "../protocols/openai-chat/errors.ts";
import { eventJson, type SseEvent } from "../sse.ts";
import type { EventTranslator } from "./types.ts";

const earlyEnd = () => new GatewayError(502, "provider_error", "The provider ended the stream before it finished");

/** A raw SSE block (already `data: …\n\n`) as an event to send unchanged. */
function raw(text: string): SseEvent {
  const event = /^event: (.+)$/m.exec(text)?.[1];
  const data = /^data: (.*)$/m.exec(text)?.[1] ?? "";
  return { event, data };
}

type Chunk = { model?: unknown; usage?: unknown; choices?: { finish_reason?: string | null }[] };

/** The chunk with the served model and without usage when asked, written anew (the shared parse is left unchanged). */
function editChunk(chunk: Chunk, model: string | null, dropUsage: boolean): SseEvent {
  const copy: Chunk = { ...chunk };
  if (dropUsage) delete copy.usage;
  if (model !== null) copy.model = model;
  return { data: JSON.stringify(copy) };
}

export function createChatPassthrough(options: { servedModel: string; includeUsage: boolean }): EventTranslator {
  let done = false;
  let finished = false;
  return {
    push(event) {
      if (event.data === "[DONE]") {
        done = true;
        return [event];
      }
      const chunk = eventJson(event) as Chunk | null | undefined;
      if (chunk === undefined || chunk === null || typeof chunk !== "object" || Array.isArray(chunk)) return [event];
      const choices = chunk.choices ?? [];
      if (choices.some((c) => c.finish_reason)) finished = true;
      if (choices.length === 0 && chunk.usage && !options.includeUsage) return [];
      const dropUsage = !options.includeUsage && "usage" in chunk;
      const renameModel = chunk.model !== undefined && chunk.model !== options.servedModel;
      if (!dropUsage && !renameModel) return [event];
      return [editChunk(chunk, renameModel ? options.servedModel : null, dropUsage)];
    },
    finish() {
      if (done) return [];
      return finished ? [{ data: "[DONE]" }] : [raw(openAiStreamErrorEvent(earlyEnd()))];
    },
  };
}

export function createMessagesPassthrough(options: { servedModel: string }): EventTranslator {
  let stopped = false;
  let failed = false;
  return {
    push(event) {
      if (event.event === "message_stop") stopped = true;
      if (event.event === "error") failed = true;
      if (event.event !== "message_start") return [event];
      const data = eventJson(event) as { message?: Record<string, unknown> } | null | undefined;
      if (!data || typeof data !== "object" || !data.message || typeof data.message !== "object") return [event];
      return [{ event: event.event, data: JSON.stringify({ ...data, message: { ...data.message, model: options.servedModel } }) }];
    },
    finish() {
      return stopped || failed ? [] : [raw(anthropicStreamErrorEvent(earlyEnd()))];
    },
  };
}

/**
 * Gemini upstream, Gemini client: chunks relayed as they came, but for `modelVersion`
 * (the served model's slug, as a translated answer has it); a stream that ends before a
 * chunk with a finishReason gets Google's error object as its last event.
 */
export function createGeminiPassthrough(options: { servedModel: string }): EventTranslator {
  let finished = false;
  let failed = false;
  return {
    push(event) {
      const chunk = eventJson(event) as
        { modelVersion?: unknown; error?: unknown; promptFeedback?: { blockReason?: unknown }; candidates?: { finishReason?: unknown }[] } | null | undefined;
      if (!chunk || typeof chunk !== "object" || Array.isArray(chunk)) return [event];
      if (chunk.error) failed = true;
      // A refused prompt ends the stream with promptFeedback.blockReason and no candidate.
      if (chunk.promptFeedback?.blockReason) finished = true;
      if (Array.isArray(chunk.candidates) && chunk.candidates.some((c) => c && typeof c === "object" && c.finishReason)) finished = true;
      if (chunk.modelVersion === undefined || chunk.modelVersion === options.servedModel) return [event];
      return [{ data: JSON.stringify({ ...chunk, modelVersion: options.servedModel }) }];
    },
    finish() {
      return finished || failed ? [] : [raw(googleStreamErrorEvent(earlyEnd()))];
    },
  };
}

/**
 * Responses upstream, Responses client: events relayed as they came, but for the
 * lifecycle events' `response` (the gateway's id, the served model's slug and what the client
 * said about storing, `echo`: the upstream itself was told store: false), and an
 * early end turned into `error` + `response.failed`, numbered after the upstream's last
 * `sequence_number`.
 */
export function createResponsesPassthrough(options: { servedModel: string; responseId: string; echo?: Record<string, unknown> }): EventTranslator {
  let ended = false;
  let nextSequence = 0;
  let lastResponse: Record<string, unknown> = { id: options.responseId, object: "response", model: options.servedModel, output: [] };
  return {
    push(event) {
      const data = eventJson(event) as { type?: unknown; sequence_number?: unknown; response?: Record<string, unknown> } | null | undefined;
      if (!data || typeof data !== "object") return [event];
      if (typeof data.sequence_number === "number") nextSequence = data.sequence_number + 1;
      const type = typeof data.type === "string" ? data.type : event.event;
      if (type === "response.completed" || type === "response.incomplete" || type === "response.failed" || type === "error") ended = true;
      if (!data.response || typeof data.response !== "object") return [event];
      lastResponse = { ...data.response, id: options.responseId, model: options.servedModel, ...options.echo };
      return [{ event: event.event, data: JSON.stringify({ ...data, response: lastResponse }) }];
    },
    finish() {
      return ended ? [] : this.fail!(earlyEnd());
    },
    fail(error) {
      if (ended) return [];
      ended = true;
      return responsesFailureEvents(error, nextSequence, lastResponse);
    },
  };
}

/** `error` then `response.failed`: the SDK throws on the first, Codex reads the second. */
export function responsesFailureEvents(error: GatewayError, sequence: number, response: Record<string, unknown>): SseEvent[] {
  const failed = { ...response, status: "failed", error: { code: "server_error", message: error.message } };
  return [
    { event: "error", data: JSON.stringify({ type: "error", code: error.type, message: error.message, param: null, sequence_number: sequence }) },
    { event: "response.failed", data: JSON.stringify({ type: "response.failed", response: failed, sequence_number: sequence + 1 }) },
  ];
}
