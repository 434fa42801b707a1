import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { ValidationError } from "../errors/validation-error";
import { verifyLedger } from "./ledger";
import { createCodeBatch, normaliseCode, redeemCode } from "./redemption";

describe("redemption codes", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      let admin: { id: string; email: string };
      let users: string[];
      beforeAll(async () => {
        t = await createTestDatabase(kind);
        admin = await t.db.user.create({ data: { email: "admin@example.com", role: "admin" }, select: { id: true, email: true } });
        users = await Promise.all(["a", "b", "c"].map(async (n) => (await t.db.user.create({ data: { email: `${n}@example.com` } })).id));
      });
      afterAll(async () => t?.drop());

      it("creates a batch of distinct codes and credits a code's value once", async () => {
        const batch = await createCodeBatch(t.db, admin, { valueUsd: "10", count: 5 });
        expect(new Set(batch.codes).size).toBe(5);
        // Audited in the same transaction, without the codes themselves (they are bearer credits).
        const [event] = await t.db.auditEvent.findMany({ where: { action: "code_batch.create", targetId: batch.batchId } });
        expect(event).toMatchObject({ actorEmail: "admin@example.com", targetType: "code_batch", targetLabel: "5 × $10.00" });
        for (const code of batch.codes) expect(JSON.stringify(event)).not.toContain(code);
        expect(batch.codes[0]).toMatch(/^SY-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
        expect(await redeemCode(t.db, users[0], batch.codes[0].toLowerCase().replace(/-/g, " "))).toEqual({ valueNanoUsd: 10_000_000_000n });
        await expect(redeemCode(t.db, users[1], batch.codes[0])).rejects.toMatchObject({ fields: { code: "This code has already been redeemed" } });
        expect((await t.db.user.findUniqueOrThrow({ where: { id: users[0] } })).balanceNanoUsd).toBe(10_000_000_000n);
      });

      it("lets exactly one of several simultaneous redemptions of one code through", async () => {
        const { codes } = await createCodeBatch(t.db, admin, { valueUsd: 3, count: 1 });
        const results = await Promise.allSettled(users.map((u) => redeemCode(t.db, u, codes[0])));
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        expect(await t.db.ledgerEntry.count({ where: { kind: "redemption", reason: `Redeemed ${codes[0]}` } })).toBe(1);
        expect((await verifyLedger(t.db)).mismatches).toEqual([]);
      });

      it("refuses unknown and expired codes and bad batches, writing nothing", async () => {
        // A user of its own: any of `users` may have won the race above.
        const loser = (await t.db.user.create({ data: { email: "d@example.com" } })).id;
        await expect(redeemCode(t.db, loser, "SY-0000-0000-0000")).rejects.toMatchObject({ fields: { code: "This code does not exist; check it for typos" } });
        const { codes } = await createCodeBatch(t.db, admin, { valueUsd: 1, count: 1, expiresAt: new Date(Date.now() + 60_000).toISOString() });
        await t.db.redemptionCode.update({ where: { code: codes[0] }, data: { expiresAt: new Date(Date.now() - 1000) } });
        await expect(redeemCode(t.db, loser, codes[0])).rejects.toMatchObject({ fields: { code: "This code has expired" } });
        for (const bad of [
          { valueUsd: "-5", count: 1 },
          { valueUsd: "abc", count: 1 },
          { valueUsd: 5, count: 0 },
          { valueUsd: 5, count: "many" },
          { valueUsd: 5, count: 1, expiresAt: "2001-01-01" },
        ]) {
          await expect(createCodeBatch(t.db, admin, bad)).rejects.toBeInstanceOf(ValidationError);
        }
        expect((await t.db.user.findUniqueOrThrow({ where: { id: loser } })).balanceNanoUsd).toBe(0n);
      });
    });
  }

  it("normalises what people type", () => {
    expect(normaliseCode(" sy 7k3f qx9m 2dpa ")).toBe("SY-7K3F-QX9M-2DPA");
    expect(normaliseCode("7K3FQX9M2DPA")).toBe("SY-7K3F-QX9M-2DPA");
  });
});
