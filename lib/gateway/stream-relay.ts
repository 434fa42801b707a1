/**
 * Relays an accepted upstream stream to the client without buffering it. Each upstream
 * event is observed in the upstream's protocol (usage, content, end) and translated
 * into the client's (surfaces/). A keep-alive comment goes out when the upstream is
 * silent; a failure after the first byte becomes an in-stream error (never a
 * failover); a client that leaves aborts the upstream at once. Its usage so far is
 * checkpointed while it runs (stream-checkpoint.ts). Settles exactly once. A client
 * that reads slowly slows the upstream read (the sink's backpressure), so nothing piles up.
 */
import { streamMemory } from "./answer-memory.ts";
import type { AttemptSuccess } from "./attempt-loop.ts";
import { GatewayError } from "./errors.ts";
import type { Answer, ChunkSink, StreamBody } from "./exchange.ts";
import { meter, throughputOf } from "./metering/metering.ts";
import { adapterFor } from "./providers/registry.ts";
import { responseHeaders, settle, type Outcome, type RequestContext } from "./settle.ts";
import { startStreamCheckpoints } from "./stream-checkpoint.ts";
import { encodeSse, SSE_KEEP_ALIVE, type SseEvent } from "./sse.ts";
import type { ClientSurface, ServedAs } from "./surfaces/types.ts";
import { newUpstreamTally, observeUpstreamEvent } from "./upstream/upstream-tally.ts";

export function relayStream(ctx: RequestContext, surface: ClientSurface, success: Extract<AttemptSuccess, { kind: "stream" }>, served: ServedAs): Answer {
  const { candidate } = success;
  ctx.streaming = true;
  const upstream = adapterFor(candidate.endpoint.provider.adapter)!.protocol;
  const translator = surface.streamTranslator(upstream, served);
  const tally = newUpstreamTally();
  const memory = streamMemory(ctx, surface);
  let clientGone = false;
  let lastSentAt = ctx.now();
  let firstEventAt: number | null = null;
  let keepAlive: NodeJS.Timeout | undefined;

  let stopCheckpoints: () => void = () => undefined;

  // The same metering for checkpoints while streaming and for the settlement at the end.
  const outcomeNow = (failure: GatewayError | null): Outcome => {
    const metering = meter(candidate.endpoint.pricings, tally, ctx.parsed.needs.estimatedPromptTokens);
    const firstTokenAt = tally.firstContentAt ?? firstEventAt;
    return {
      candidate,
      status: clientGone ? "aborted" : failure ? "error" : "success",
      httpStatus: clientGone ? 499 : failure ? failure.status : 200,
      error: failure,
      finishReason: tally.finishReason,
      metering,
      ttftMs: firstTokenAt === null ? null : firstTokenAt - ctx.receivedAt,
      throughput: throughputOf(metering.completionTokens, firstTokenAt, ctx.now()),
    };
  };

  const finish = (failure: GatewayError | null) => {
    clearInterval(keepAlive);
    stopCheckpoints();
    // Kept once its final event reached the client and nothing failed (a client leaving after it does not undo it).
    memory?.settle(failure === null);
    void settle(ctx, outcomeNow(failure));
  };

  const stream: StreamBody = {
    start(sink: ChunkSink) {
      // false once the client's buffer is full: the next upstream read waits for it to drain.
      let flowing = true;
      const send = (text: string) => {
        if (clientGone) return;
        ctx.capture?.appendResponse(text);
        flowing = sink.write(text) && flowing;
        lastSentAt = ctx.now();
      };
      stopCheckpoints = startStreamCheckpoints(ctx, () => outcomeNow(null));
      keepAlive = setInterval(
        () => {
          if (ctx.now() - lastSentAt >= ctx.deps.config.keepAliveIntervalMs) send(SSE_KEEP_ALIVE);
        },
        Math.max(250, Math.floor(ctx.deps.config.keepAliveIntervalMs / 4)),
      );
      const cost = () => meter(candidate.endpoint.pricings, tally, ctx.parsed.needs.estimatedPromptTokens).cost;
      const emit = (out: SseEvent) => {
        const costed = surface.withStreamCost(out, cost);
        if (!clientGone) memory?.observe(costed);
        send(encodeSse(costed));
      };
      const forward = (upstreamEvent: { event?: string; data: string }) => {
        const event = success.redactError(upstreamEvent);
        firstEventAt ??= ctx.now();
        observeUpstreamEvent(upstream, event, tally, ctx.now());
        for (const out of translator.push(event)) emit(out);
      };
      void (async () => {
        let failure: GatewayError | null = null;
        try {
          forward(success.first);
          for await (const event of success.events) {
            if (clientGone) break;
            forward(event);
            if (!flowing) {
              await sink.drained();
              flowing = true;
            }
          }
          if (!clientGone) for (const out of translator.finish()) emit(out);
          if (!clientGone && (tally.failed || (!tally.complete && !tally.finishReason)))
            failure = new GatewayError(502, "provider_error", "The provider's stream failed or ended early");
        } catch {
          if (!clientGone) {
            failure = new GatewayError(502, "provider_error", "The provider's stream broke off");
            if (translator.fail) for (const out of translator.fail(failure)) send(encodeSse(out));
            else send(surface.streamErrorEvent(failure));
          }
        }
        if (!clientGone) sink.end();
        finish(failure);
      })();
    },
    cancel() {
      clientGone = true;
      success.abort();
    },
  };

  return {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      ...responseHeaders(ctx, candidate),
    },
    body: stream,
  };
}
