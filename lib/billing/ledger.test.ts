import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { registerBoot } from "./instance-registry";
import { checkpointReservation, credit, reserve, settle, verifyLedger } from "./ledger";
import { recoverOrphanedHolds } from "./orphaned-holds";

const op = fc.oneof(
  fc.record({ type: fc.constant("topUp" as const), amount: fc.bigInt({ min: 1n, max: 5_000n }), key: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ type: fc.constant("reserve" as const), amount: fc.bigInt({ min: 1n, max: 3_000n }) }),
  fc.record({ type: fc.constant("settle" as const), pick: fc.nat(), costFactor: fc.integer({ min: 0, max: 200 }) }),
  fc.record({ type: fc.constant("checkpoint" as const), pick: fc.nat(), costFactor: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ type: fc.constant("crash" as const) }),
  fc.record({ type: fc.constant("refund" as const), amount: fc.bigInt({ min: 1n, max: 500n }), key: fc.integer({ min: 0, max: 3 }) }),
);

describe("ledger", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      let n = 0;
      beforeAll(async () => {
        t = await createTestDatabase(kind);
      });
      afterAll(async () => t?.drop());

      const newUser = async () => (await t.db.user.create({ data: { email: `u${n++}@example.com` } })).id;

      it("keeps balance = ledger sum and holds = open reservations over random sequences (refunds, duplicates and crashes included)", async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
            const userId = await newUser();
            let expected = 0n;
            const open: { id: string; amount: bigint; checkpointed: bigint }[] = [];
            // Each run is its own instance; a crash is its restart under a new boot id.
            const owner = { instanceId: `ledger-test:${userId}`, bootId: "boot-0" };
            await registerBoot(t.db, owner);
            const settledIds = new Set<string>();
            const appliedKeys = new Set<number>();
            let seq = 0;
            for (const o of ops) {
              if (o.type === "topUp") {
                const { applied } = await credit(t.db, { userId, kind: "top_up", amountNanoUsd: o.amount, idempotencyKey: `${userId}:top:${o.key}` });
                expect(applied).toBe(!appliedKeys.has(o.key));
                if (applied) {
                  appliedKeys.add(o.key);
                  expected += o.amount;
                }
              } else if (o.type === "refund") {
                const { applied } = await credit(t.db, { userId, kind: "refund", amountNanoUsd: o.amount, idempotencyKey: `${userId}:refund:${o.key}` });
                if (applied) expected += o.amount;
              } else if (o.type === "reserve") {
                const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
                const id = `${userId}:r${seq++}`;
                const { ok } = await reserve(t.db, { id, userId, apiKeyId: null, amountNanoUsd: o.amount, ttlMs: 60_000, owner });
                expect(ok).toBe(user.balanceNanoUsd - user.reservedNanoUsd >= o.amount);
                if (ok) open.push({ id, amount: o.amount, checkpointed: 0n });
              } else if (o.type === "checkpoint" && open.length > 0) {
                const hold = open[o.pick % open.length];
                hold.checkpointed = (hold.amount * BigInt(o.costFactor)) / 100n;
                expect(await checkpointReservation(t.db, { reservationId: hold.id, costNanoUsd: hold.checkpointed, record: "{}" })).toBe(true);
              } else if (o.type === "settle" && (open.length > 0 || settledIds.size > 0)) {
                const all = [...open.map((r) => r.id), ...settledIds];
                const id = all[o.pick % all.length];
                const hold = open.find((r) => r.id === id);
                const cost = hold ? (hold.amount * BigInt(o.costFactor)) / 100n : 7n;
                const result = await settle(t.db, { reservationId: id, costNanoUsd: cost, idempotencyKey: `charge:${id}` });
                expect(result.settled).toBe(hold !== undefined); // a second settlement changes nothing
                if (hold) {
                  if (cost > 0n) expected -= cost;
                  open.splice(open.indexOf(hold), 1);
                  settledIds.add(id);
                }
              } else if (o.type === "crash" && open.length > 0) {
                // The instance dies and restarts: recovery charges what each hold had checkpointed and releases it.
                owner.bootId = `boot-${seq++}`;
                await registerBoot(t.db, owner);
                await recoverOrphanedHolds(t.db, { staleMs: 3_600_000 });
                for (const r of open) {
                  settledIds.add(r.id);
                  expected -= r.checkpointed;
                }
                open.length = 0;
              }
              const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
              expect(user.balanceNanoUsd).toBe(expected);
              expect(user.reservedNanoUsd).toBe(open.reduce((s, r) => s + r.amount, 0n));
              expect(user.reservedNanoUsd >= 0n).toBe(true);
            }
            const charges = await t.db.ledgerEntry.count({ where: { userId, kind: "charge" } });
            expect(charges).toBeLessThanOrEqual(settledIds.size);
            expect((await verifyLedger(t.db)).mismatches).toEqual([]);
            expect((await verifyLedger(t.db, { staleMs: 3_600_000 })).orphanedHolds).toEqual([]);
          }),
          { numRuns: kind === "sqlite" ? 40 : 25 },
        );
      });

      it("holds a key to its total, daily and monthly spend limits, in-flight holds included", async () => {
        const userId = await newUser();
        await credit(t.db, { userId, kind: "top_up", amountNanoUsd: 10_000n, idempotencyKey: `${userId}:limits` });
        const key = await t.db.apiKey.create({
          data: { userId, name: "k", hash: `h-${userId}`, start: "sk", spendLimitDayNanoUsd: 300n, spendLimitMonthNanoUsd: 500n, spendLimitTotalNanoUsd: 700n },
        });
        const hold = (i: number, amount: bigint) => reserve(t.db, { id: `${userId}:k${i}`, userId, apiKeyId: key.id, amountNanoUsd: amount, ttlMs: 60_000 });
        expect(await hold(1, 200n)).toEqual({ ok: true });
        expect(await hold(2, 200n)).toEqual({ ok: false, refusedBy: "key_day" }); // 200 held + 200 > 300 today
        await settle(t.db, { reservationId: `${userId}:k1`, costNanoUsd: 150n, idempotencyKey: `c:${userId}:k1` });
        const afterOne = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
        expect(afterOne).toMatchObject({ spentNanoUsd: 150n, spentDayNanoUsd: 150n, spentMonthNanoUsd: 150n, reservedNanoUsd: 0n });
        expect(await hold(3, 200n)).toEqual({ ok: false, refusedBy: "key_day" });
        expect(await hold(4, 150n)).toEqual({ ok: true });
        await settle(t.db, { reservationId: `${userId}:k4`, costNanoUsd: 150n, idempotencyKey: `c:${userId}:k4` });
        // A new day: the daily counter starts again, the monthly one does not.
        await t.db.apiKey.update({ where: { id: key.id }, data: { spentDayPeriod: "2000-01-01" } });
        expect(await hold(5, 250n)).toEqual({ ok: false, refusedBy: "key_month" }); // 300 this month + 250 > 500
        await t.db.apiKey.update({ where: { id: key.id }, data: { spentMonthPeriod: "2000-01" } });
        expect(await hold(6, 450n)).toEqual({ ok: false, refusedBy: "key_day" });
        expect(await hold(7, 250n)).toEqual({ ok: true });
        await settle(t.db, { reservationId: `${userId}:k7`, costNanoUsd: 250n, idempotencyKey: `c:${userId}:k7` });
        await t.db.apiKey.update({ where: { id: key.id }, data: { spentDayPeriod: "2000-01-01", spentMonthPeriod: "2000-01" } });
        expect(await hold(8, 200n)).toEqual({ ok: false, refusedBy: "key_total" }); // 550 spent in all + 200 > 700
        const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
        expect(user.reservedNanoUsd).toBe(0n); // refused holds left nothing behind
        expect((await verifyLedger(t.db)).mismatches).toEqual([]);
      });

      it("never holds more than the balance when reservations race", async () => {
        const userId = await newUser();
        await credit(t.db, { userId, kind: "top_up", amountNanoUsd: 1_000n, idempotencyKey: `${userId}:race` });
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) => reserve(t.db, { id: `${userId}:race:${i}`, userId, apiKeyId: null, amountNanoUsd: 100n, ttlMs: 60_000 })),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(10);
        const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
        expect(user.reservedNanoUsd).toBe(1_000n);
      });
    });
  }
});
