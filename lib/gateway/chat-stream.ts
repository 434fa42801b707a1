/**
 * Relays an accepted upstream stream to the client without buffering it: chunks are
 * rewritten one by one (stream-relay.ts), a keep-alive comment goes out when the
 * upstream is silent, a failure after the first byte becomes an in-stream error
 * event (never a failover), and a client that leaves aborts the upstream at once.
 * Settlement runs exactly once, whichever way the stream ends.
 */
import type { AttemptSuccess } from "./attempt-loop.ts";
import { responseHeaders, settle, type ChatContext } from "./chat-settle.ts";
import { GatewayError } from "./errors.ts";
import { meterOpenAi, throughputOf } from "./metering.ts";
import { openAiStreamErrorEvent } from "./protocols/openai-chat/errors.ts";
import { newTally, relayChunk } from "./protocols/openai-chat/stream-relay.ts";
import { encodeSse, SSE_KEEP_ALIVE } from "./sse.ts";

export function relayChatStream(ctx: ChatContext, success: Extract<AttemptSuccess, { kind: "stream" }>): Response {
  const { candidate } = success;
  const encoder = new TextEncoder();
  const tally = newTally();
  const options = { servedModel: candidate.model.slug, includeUsage: ctx.body.stream_options?.include_usage === true };
  let clientGone = false;
  let lastSentAt = ctx.now();
  let firstEventAt: number | null = null;
  let keepAlive: NodeJS.Timeout | undefined;

  const finish = (failure: GatewayError | null) => {
    clearInterval(keepAlive);
    const metering = meterOpenAi(candidate.endpoint.pricings, tally.usage, { promptTokens: ctx.estimatedPromptTokens, producedChars: tally.producedChars });
    const firstTokenAt = tally.firstContentAt ?? firstEventAt;
    settle(ctx, {
      candidate,
      status: clientGone ? "aborted" : failure ? "error" : "success",
      httpStatus: clientGone ? 499 : failure ? failure.status : 200,
      error: failure,
      finishReason: tally.finishReason,
      metering,
      ttftMs: firstTokenAt === null ? null : firstTokenAt - ctx.receivedAt,
      throughput: throughputOf(metering.completionTokens, firstTokenAt, ctx.now()),
    });
  };

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (clientGone) return;
        controller.enqueue(encoder.encode(text));
        lastSentAt = ctx.now();
      };
      const interval = Math.max(250, Math.floor(ctx.deps.config.keepAliveIntervalMs / 4));
      keepAlive = setInterval(() => {
        if (ctx.now() - lastSentAt >= ctx.deps.config.keepAliveIntervalMs) send(SSE_KEEP_ALIVE);
      }, interval);
      const forward = (data: string) => {
        firstEventAt ??= ctx.now();
        const out = relayChunk(data, { ...options, now: ctx.now() }, tally);
        if (out !== null) send(encodeSse({ data: out }));
      };
      void (async () => {
        let failure: GatewayError | null = null;
        try {
          forward(success.first.data);
          for await (const event of success.events) {
            if (clientGone) break;
            forward(event.data);
          }
          if (!clientGone && !tally.sawDone) {
            if (tally.finishReason) send("data: [DONE]\n\n");
            else failure = new GatewayError(502, "provider_error", "The provider ended the stream before it finished");
          }
        } catch {
          if (!clientGone) failure = new GatewayError(502, "provider_error", "The provider's stream broke off");
        }
        if (failure) send(openAiStreamErrorEvent(failure));
        if (!clientGone) controller.close();
        finish(failure);
      })();
    },
    cancel() {
      clientGone = true;
      success.abort();
    },
  });

  return new Response(stream, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      ...responseHeaders(ctx, candidate),
    },
  });
}
