import { describe, expect, it, vi } from "vitest";
import type { BillingPort } from "./ports/billing";
import type { GenerationRecord } from "./ports/gateway-deps";
import { settle, type RequestContext } from "./settle";

function contextSettling(settled: boolean) {
  const records: GenerationRecord[] = [];
  const release = vi.fn();
  const settlements: Parameters<BillingPort["settle"]>[0][] = [];
  const billing: Pick<BillingPort, "settle"> = {
    settle: async (input) => {
      settlements.push(input);
      return { settled };
    },
  };
  const ctx = {
    id: "gen_1",
    api: "chat",
    now: () => 1_000,
    receivedAt: 0,
    principal: { userId: "u1", keyId: "k1" },
    parsed: { model: "test/chat", stream: true },
    attempts: [],
    capture: null,
    idempotencyKey: null,
    reservation: { amountNanoUsd: 10_000n },
    release,
    rateLimit: { grant: { reservedTokens: 0, holds: [], settled: false }, headers: {} },
    deps: { billing, sink: { record: (g: GenerationRecord) => records.push(g) }, rateLimits: { counter: {} }, health: {} },
  } as unknown as RequestContext;
  return { ctx, records, release, settlements };
}

describe("settle", () => {
  it("records the generation it settled", async () => {
    const { ctx, records, release } = contextSettling(true);
    await settle(ctx, { candidate: null, status: "aborted", httpStatus: 499 });
    expect(records.map((r) => r.id)).toEqual(["gen_1"]);
    expect(release).toHaveBeenCalledOnce();
  });

  it("settles with the generation record, the same one the sink then gets, so a crash before the sink writes it loses no record", async () => {
    const { ctx, records, settlements } = contextSettling(true);
    await settle(ctx, { candidate: null, status: "aborted", httpStatus: 499 });
    expect(settlements).toEqual([
      {
        reservationId: "gen_1",
        costNanoUsd: 0n,
        idempotencyKey: "charge:gen_1",
        generationId: "gen_1",
        record: expect.objectContaining({ id: "gen_1", userId: "u1", status: "aborted", costNanoUsd: 0n }),
      },
    ]);
    expect(records).toEqual([settlements[0].record]);
  });

  it("writes no second record when crash recovery settled the hold first (its record matches its charge)", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { ctx, records, release } = contextSettling(false);
    await settle(ctx, { candidate: null, status: "aborted", httpStatus: 499 });
    expect(records).toEqual([]);
    expect(release).toHaveBeenCalledOnce();
    expect(errors.mock.calls.join("\n")).toMatch(/gen_1 was recovered as orphaned/);
    errors.mockRestore();
  });
});
