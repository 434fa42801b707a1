/**
 * While a stream runs, its usage so far is made durable on its hold every `intervalMs`
 * (BillingPort.checkpoint), so if this process dies, recovery charges and records what
 * was relayed up to the last checkpoint instead of nothing. Checkpoints never delay the
 * stream: they are fire and forget, one at a time (a slow database skips a beat rather
 * than queue writes), skipped when nothing changed, and a failure is only logged.
 */
import { generationRecordOf } from "./outcome-record.ts";
import type { Outcome, RequestContext } from "./settle.ts";

export const DEFAULT_STREAM_CHECKPOINT_MS = 5000;

/** Starts checkpointing; returns the function that stops it (call it before settling). */
export function startStreamCheckpoints(ctx: RequestContext, outcomeSoFar: () => Outcome): () => void {
  const intervalMs = ctx.deps.config.streamCheckpointMs ?? DEFAULT_STREAM_CHECKPOINT_MS;
  if (!ctx.reservation || intervalMs <= 0) return () => undefined;
  let writing = false;
  let written: { cost: bigint; tokens: number } | null = null;
  const timer = setInterval(() => {
    if (writing) return;
    const outcome = outcomeSoFar();
    const metering = outcome.metering;
    if (!metering) return;
    const now = { cost: metering.cost.totalNanoUsd, tokens: metering.completionTokens };
    if (written && written.cost === now.cost && written.tokens === now.tokens) return;
    writing = true;
    ctx.deps.billing
      .checkpoint({ reservationId: ctx.id, costNanoUsd: now.cost, record: generationRecordOf(ctx, outcome, { withContent: false }) })
      .then(() => {
        written = now;
      })
      .catch((error: Error) => console.error(`billing: checkpointing ${ctx.id} failed: ${error.message}`))
      .finally(() => {
        writing = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
