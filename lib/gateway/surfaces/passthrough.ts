/**
 * Same-protocol relays: the upstream's events go to the client as they are, but for
 * the served model's slug in `model`, OpenAI's usage chunk dropped when the client
 * did not ask for it, and an early end turned into an error event.
 */
import { GatewayError } from "../errors.ts";
import { anthropicStreamErrorEvent } from "../protocols/anthropic-messages/errors.ts";
import { openAiStreamErrorEvent } from "../protocols/openai-chat/errors.ts";
import type { SseEvent } from "../sse.ts";
import type { EventTranslator } from "./types.ts";

const earlyEnd = () => new GatewayError(502, "provider_error", "The provider ended the stream before it finished");

/** A raw SSE block (already `data: …\n\n`) as an event to send unchanged. */
function raw(text: string): SseEvent {
  const event = /^event: (.+)$/m.exec(text)?.[1];
  const data = /^data: (.*)$/m.exec(text)?.[1] ?? "";
  return { event, data };
}

type Chunk = { model?: string; usage?: unknown; choices?: { finish_reason?: string | null }[] };

export function createChatPassthrough(options: { servedModel: string; includeUsage: boolean }): EventTranslator {
  let done = false;
  let finished = false;
  return {
    push(event) {
      if (event.data === "[DONE]") {
        done = true;
        return [event];
      }
      let chunk: Chunk;
      try {
        chunk = JSON.parse(event.data) as Chunk;
      } catch {
        return [event];
      }
      const choices = chunk.choices ?? [];
      if (choices.some((c) => c.finish_reason)) finished = true;
      if (choices.length === 0 && chunk.usage && !options.includeUsage) return [];
      if (!options.includeUsage) delete chunk.usage;
      if (chunk.model !== undefined) chunk.model = options.servedModel;
      return [{ data: JSON.stringify(chunk) }];
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
      try {
        const data = JSON.parse(event.data) as { message?: { model?: string } };
        if (data.message) data.message.model = options.servedModel;
        return [{ event: event.event, data: JSON.stringify(data) }];
      } catch {
        return [event];
      }
    },
    finish() {
      return stopped || failed ? [] : [raw(anthropicStreamErrorEvent(earlyEnd()))];
    },
  };
}
