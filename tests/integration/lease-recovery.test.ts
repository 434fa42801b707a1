/**
 * Leases of dead or restarted instances, on SQLite and PostgreSQL: recovery returns the lease
 * minus what its streams checkpointed (charged once, with their records), a slow owner taken
 * for dead can neither charge a recovered stream again nor release money twice, and
 * `ledger:verify` counts open leases as held money, lists orphaned ones and still reports a
 * mismatch.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerBoot } from "@/lib/billing/instance-registry";
import { credit, verifyLedger } from "@/lib/billing/ledger";
import { createLedgerBilling } from "@/lib/billing/ledger-billing";
import { recoverOrphanedHolds } from "@/lib/billing/orphaned-holds";
import type { GenerationRecord } from "@/lib/gateway/ports/gateway-deps";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

const LEASES = { windowMs: 60_000, idleMs: 3_600_000, tickMs: 3_600_000 };
const HOUR = 3_600_000;

function recordOf(id: string, userId: string, costNanoUsd: bigint): GenerationRecord {
  return {
    id,
    userId,
    apiKeyId: null,
    api: "chat",
    requestedModel: "m/x",
    modelSlug: "m/x",
    providerSlug: "p",
    endpointId: "e",
    streamed: true,
    status: "success",
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    finishReason: "stop",
    promptTokens: 3,
    completionTokens: 9,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNanoUsd,
    costBreakdown: null,
    ttftMs: 1,
    latencyMs: 1,
    throughput: 1,
    createdAt: new Date(),
    attempts: [],
    content: null,
  };
}

describe("recovery of balance leases", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      /** SQLite: settlements and leases on a write worker thread, as in a server */
      let sqliteWriter: ReturnType<TestDatabase["newSqliteWriter"]>;
      let n = 0;
      beforeAll(async () => {
        t = await createTestDatabase(kind);
        sqliteWriter = t.newSqliteWriter();
      });
      afterAll(async () => t?.drop());

      async function setup() {
        const userId = (await t.db.user.create({ data: { email: `lr${n++}@example.com` } })).id;
        const apiKeyId = (await t.db.apiKey.create({ data: { userId, name: "k", hash: randomBytes(16).toString("hex"), start: "sk" } })).id;
        await credit(t.db, { userId, kind: "top_up", amountNanoUsd: 10_000_000n, idempotencyKey: `start:${userId}` });
        const owner = { instanceId: `lr-${userId}`, bootId: "boot-1" };
        await registerBoot(t.db, owner);
        return { userId, apiKeyId, owner, billing: createLedgerBilling(t.db, owner, { leases: LEASES, sqliteWriter }) };
      }
      const account = async (userId: string, apiKeyId: string) => ({
        user: await t.db.user.findUniqueOrThrow({ where: { id: userId } }),
        key: await t.db.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } }),
      });

      it("returns a restarted instance's lease, charging its checkpointed stream once and the stream that never checkpointed nothing", async () => {
        const { userId, apiKeyId, owner, billing } = await setup();
        expect(await billing.reserve({ id: `s1-${userId}`, userId, apiKeyId, amountNanoUsd: 100_000n })).toEqual({ ok: true });
        expect(await billing.reserve({ id: `s2-${userId}`, userId, apiKeyId, amountNanoUsd: 100_000n })).toEqual({ ok: true });
        // Held from a lease: no reservation rows, the lease's money counted as held.
        expect(await t.db.reservation.count({ where: { userId } })).toBe(0);
        const [lease] = await t.db.lease.findMany({ where: { userId } });
        expect(lease.amountNanoUsd).toBeGreaterThanOrEqual(200_000n);
        expect((await account(userId, apiKeyId)).user.reservedNanoUsd).toBe(lease.amountNanoUsd);
        expect((await account(userId, apiKeyId)).key.reservedNanoUsd).toBe(lease.amountNanoUsd);
        await billing.checkpoint({ reservationId: `s1-${userId}`, costNanoUsd: 40_000n, record: recordOf(`s1-${userId}`, userId, 40_000n) });

        // ledger:verify: the lease is held money (no mismatch); once its owner restarts it is orphaned.
        expect((await verifyLedger(t.db)).mismatches.filter((m) => m.userId === userId)).toEqual([]);
        await billing.abandon();
        await registerBoot(t.db, { ...owner, bootId: "boot-2" });
        const report = await verifyLedger(t.db);
        expect(report.orphanedHolds.find((h) => h.userId === userId)).toMatchObject({ heldNanoUsd: lease.amountNanoUsd, reasons: ["restarted"] });

        const summary = await recoverOrphanedHolds(t.db, { staleMs: HOUR });
        expect(summary.leases).toMatchObject({ leases: 1, releasedNanoUsd: lease.amountNanoUsd, chargedNanoUsd: 40_000n });
        const after = await account(userId, apiKeyId);
        expect(after.user).toMatchObject({ balanceNanoUsd: 10_000_000n - 40_000n, reservedNanoUsd: 0n });
        expect(after.key).toMatchObject({ spentNanoUsd: 40_000n, reservedNanoUsd: 0n });
        expect(await t.db.lease.count({ where: { userId } })).toBe(0);
        expect(await t.db.ledgerEntry.findMany({ where: { userId, kind: "charge" }, select: { generationId: true, amountNanoUsd: true } })).toEqual([
          { generationId: `s1-${userId}`, amountNanoUsd: -40_000n },
        ]);
        expect(await t.db.generation.findUnique({ where: { id: `s1-${userId}` } })).toMatchObject({ errorType: "instance_crashed", costNanoUsd: 40_000n });
        // A second sweep finds nothing more.
        expect((await recoverOrphanedHolds(t.db, { staleMs: HOUR })).leases.leases).toBe(0);
        expect((await verifyLedger(t.db)).mismatches.filter((m) => m.userId === userId)).toEqual([]);
      });

      it("lets an owner taken for dead settle afterwards without charging a recovered stream twice or releasing its lease again", async () => {
        const { userId, apiKeyId, owner, billing } = await setup();
        const stream = `st-${userId}`;
        const call = `js-${userId}`;
        expect(await billing.reserve({ id: stream, userId, apiKeyId, amountNanoUsd: 100_000n })).toEqual({ ok: true });
        expect(await billing.reserve({ id: call, userId, apiKeyId, amountNanoUsd: 100_000n })).toEqual({ ok: true });
        await billing.checkpoint({ reservationId: stream, costNanoUsd: 30_000n, record: recordOf(stream, userId, 30_000n) });
        // Another process registers the same instance id: this one's lease is recovered while it still runs.
        await registerBoot(t.db, { ...owner, bootId: "boot-2" });
        await recoverOrphanedHolds(t.db, { staleMs: HOUR });
        expect(await t.db.lease.count({ where: { userId } })).toBe(0);

        // The stream was settled by recovery: its own settlement changes nothing.
        expect(
          await billing.settle({
            reservationId: stream,
            costNanoUsd: 70_000n,
            idempotencyKey: `charge:${stream}`,
            generationId: stream,
            record: recordOf(stream, userId, 70_000n),
          }),
        ).toEqual({ settled: false });
        // The JSON call was answered by this process: it is charged, from the balance only (its lease is gone).
        expect(
          await billing.settle({
            reservationId: call,
            costNanoUsd: 20_000n,
            idempotencyKey: `charge:${call}`,
            generationId: call,
            record: recordOf(call, userId, 20_000n),
          }),
        ).toEqual({ settled: true });
        const after = await account(userId, apiKeyId);
        expect(after.user).toMatchObject({ balanceNanoUsd: 10_000_000n - 30_000n - 20_000n, reservedNanoUsd: 0n });
        expect(after.key).toMatchObject({ spentNanoUsd: 50_000n, reservedNanoUsd: 0n });
        // The next hold takes a fresh lease.
        expect(await billing.reserve({ id: `next-${userId}`, userId, apiKeyId, amountNanoUsd: 100_000n })).toEqual({ ok: true });
        expect(await t.db.lease.count({ where: { userId } })).toBe(1);
        await billing.settle({
          reservationId: `next-${userId}`,
          costNanoUsd: 0n,
          idempotencyKey: `charge:next-${userId}`,
          generationId: `next-${userId}`,
          record: recordOf(`next-${userId}`, userId, 0n),
        });
        await billing.stop();
        expect(await t.db.lease.count({ where: { userId } })).toBe(0);
        expect((await account(userId, apiKeyId)).user.reservedNanoUsd).toBe(0n);
        expect((await verifyLedger(t.db)).mismatches.filter((m) => m.userId === userId)).toEqual([]);
      });

      it("reports an account whose held money is not its leases and holds", async () => {
        const { userId, apiKeyId, billing } = await setup();
        expect(await billing.reserve({ id: `m-${userId}`, userId, apiKeyId, amountNanoUsd: 100_000n })).toEqual({ ok: true });
        const lease = await t.db.lease.findFirstOrThrow({ where: { userId } });
        await t.db.$executeRaw`UPDATE "Lease" SET "amountNanoUsd" = "amountNanoUsd" - 1 WHERE "id" = ${lease.id}`;
        expect((await verifyLedger(t.db)).mismatches.filter((m) => m.userId === userId)).toEqual([
          expect.objectContaining({ reservedNanoUsd: lease.amountNanoUsd, openReservationsNanoUsd: lease.amountNanoUsd - 1n }),
        ]);
        await t.db.$executeRaw`UPDATE "Lease" SET "amountNanoUsd" = "amountNanoUsd" + 1 WHERE "id" = ${lease.id}`;
        await billing.settle({
          reservationId: `m-${userId}`,
          costNanoUsd: 1n,
          idempotencyKey: `charge:m-${userId}`,
          generationId: `m-${userId}`,
          record: recordOf(`m-${userId}`, userId, 1n),
        });
        await billing.stop();
        expect((await verifyLedger(t.db)).mismatches.filter((m) => m.userId === userId)).toEqual([]);
      });
    });
  }
});
