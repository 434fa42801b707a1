import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BillingPort } from "./ports/billing";
import type { Metering } from "./metering/metering";
import type { Outcome, RequestContext } from "./settle";
import { startStreamCheckpoints } from "./stream-checkpoint";

type CheckpointInput = Parameters<BillingPort["checkpoint"]>[0];

function contextWith(checkpoint: (input: CheckpointInput) => Promise<void>, intervalMs = 100): RequestContext {
  return {
    id: "gen_1",
    api: "chat",
    now: () => Date.now(),
    receivedAt: Date.now(),
    principal: { userId: "u1", keyId: "k1" },
    parsed: { model: "test/chat", stream: true },
    attempts: [],
    capture: null,
    reservation: { amountNanoUsd: 10_000n },
    deps: { config: { streamCheckpointMs: intervalMs }, billing: { checkpoint } },
  } as unknown as RequestContext;
}

const outcomeCosting = (cost: bigint, tokens: number): Outcome => ({
  candidate: null,
  status: "success",
  httpStatus: 200,
  metering: {
    cost: { totalNanoUsd: cost, lines: [] },
    completionTokens: tokens,
    promptTokens: 5,
    usage: { inputTokens: 5, outputTokens: tokens, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0 },
    estimated: true,
  } as unknown as Metering,
});

describe("stream checkpoints", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("writes the cost so far each interval, never two at once, and only when it changed", async () => {
    const calls: CheckpointInput[] = [];
    let finishWrite: () => void = () => undefined;
    const ctx = contextWith((input) => {
      calls.push(input);
      return new Promise((resolve) => (finishWrite = resolve));
    });
    let outcome = outcomeCosting(100n, 4);
    const stop = startStreamCheckpoints(ctx, () => outcome);

    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      reservationId: "gen_1",
      costNanoUsd: 100n,
      record: { id: "gen_1", completionTokens: 4, costNanoUsd: 100n, content: null },
    });
    // The database is slow: later ticks skip rather than pile up writes.
    outcome = outcomeCosting(150n, 6);
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(1);
    finishWrite();
    await vi.advanceTimersByTimeAsync(100);
    expect(calls.map((c) => c.costNanoUsd)).toEqual([100n, 150n]);
    finishWrite();
    // Nothing new was produced: no write.
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(2);
    outcome = outcomeCosting(200n, 8);
    stop();
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(2);
  });

  it("logs a failed checkpoint and keeps going", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let attempts = 0;
    const ctx = contextWith(async () => {
      attempts++;
      if (attempts === 1) throw new Error("database is down");
    });
    const stop = startStreamCheckpoints(ctx, () => outcomeCosting(100n, 4));
    await vi.advanceTimersByTimeAsync(200);
    stop();
    expect(attempts).toBe(2); // the failed write is retried with the same numbers
    expect(errors).toHaveBeenCalledWith("billing: checkpointing gen_1 failed: database is down");
    errors.mockRestore();
  });

  it("does nothing for a request without a hold or with checkpoints turned off", async () => {
    const checkpoint = vi.fn(async () => undefined);
    startStreamCheckpoints({ ...contextWith(checkpoint), reservation: null }, () => outcomeCosting(1n, 1))();
    const off = startStreamCheckpoints(contextWith(checkpoint, 0), () => outcomeCosting(1n, 1));
    await vi.advanceTimersByTimeAsync(1000);
    off();
    expect(checkpoint).not.toHaveBeenCalled();
  });
});
