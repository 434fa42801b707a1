import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { applyPaymentEvent } from "./payment-provider";

describe("payment events", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
  });
  afterAll(async () => t?.drop());

  it("credits a successful payment once, however often its webhook is replayed", async () => {
    const user = await t.db.user.create({ data: { email: "buyer@example.com" } });
    const event = { type: "payment_succeeded" as const, provider: "stripe", paymentId: "cs_test_1", userId: user.id, amountNanoUsd: 20_000_000_000n };
    expect(await applyPaymentEvent(t.db, event)).toEqual({ credited: true });
    expect(await applyPaymentEvent(t.db, event)).toEqual({ credited: false });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).balanceNanoUsd).toBe(20_000_000_000n);
    expect(await t.db.ledgerEntry.count({ where: { userId: user.id, kind: "top_up" } })).toBe(1);
  });
});
