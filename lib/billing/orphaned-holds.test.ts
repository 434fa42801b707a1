/**
 * Crash recovery against the ledger on SQLite and PostgreSQL: which holds are orphaned,
 * and recovery racing a late settlement of the same request (an instance taken for dead
 * that was only slow) charging exactly once, whoever wins.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GenerationRecord } from "@/lib/gateway/ports/gateway-deps";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { findOrphanedReservations, heartbeat, registerBoot, retireBoot } from "./instance-registry";
import { checkpointReservation, credit, reserve, settle, verifyLedger } from "./ledger";
import { recoverOrphanedHolds, recoverReservation } from "./orphaned-holds";
import { serializeProvisionalRecord } from "./provisional-record";

const HOUR = 3_600_000;

function recordOf(id: string, userId: string, costNanoUsd: bigint): GenerationRecord {
  return {
    id,
    userId,
    apiKeyId: null,
    api: "chat",
    requestedModel: "test/chat",
    modelSlug: "test/chat",
    providerSlug: "fast",
    endpointId: "ep1",
    streamed: true,
    status: "success",
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    finishReason: null,
    promptTokens: 12,
    completionTokens: 40,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNanoUsd,
    costBreakdown: null,
    ttftMs: 120,
    latencyMs: 2000,
    throughput: 20,
    createdAt: new Date(Date.now() - 2000),
    attempts: [
      {
        seq: 1,
        providerSlug: "fast",
        endpointId: "ep1",
        status: "success",
        httpStatus: 200,
        errorType: null,
        errorMessage: null,
        durationMs: 120,
        served: true,
        startedAt: new Date(Date.now() - 2000),
      },
    ],
  };
}

describe("orphaned holds", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      let n = 0;
      beforeAll(async () => {
        t = await createTestDatabase(kind);
      });
      afterAll(async () => t?.drop());

      const newUser = async (usd = 1_000_000n) => {
        const userId = (await t.db.user.create({ data: { email: `o${n++}@example.com` } })).id;
        await credit(t.db, { userId, kind: "top_up", amountNanoUsd: usd, idempotencyKey: `top:${userId}` });
        return userId;
      };

      it("finds holds whose instance restarted, went silent, left or whose TTL passed, and no live instance's", async () => {
        const userId = await newUser();
        const live = { instanceId: `live-${userId}`, bootId: "b1" };
        const restarted = { instanceId: `restarted-${userId}`, bootId: "b1" };
        const silent = { instanceId: `silent-${userId}`, bootId: "b1" };
        const retired = { instanceId: `retired-${userId}`, bootId: "b1" };
        for (const owner of [live, restarted, silent, retired]) await registerBoot(t.db, owner);
        const hold = (id: string, owner?: { instanceId: string; bootId: string }, ttlMs = HOUR) =>
          reserve(t.db, { id: `${userId}:${id}`, userId, apiKeyId: null, amountNanoUsd: 100n, ttlMs, owner });
        await hold("live", live);
        await hold("restarted", restarted);
        await hold("silent", silent);
        await hold("retired", retired);
        await hold("expired", live, 1);
        await hold("legacy"); // taken before instances were recorded: only its TTL applies
        await registerBoot(t.db, { ...restarted, bootId: "b2" });
        await t.db.gatewayInstance.update({ where: { id: silent.instanceId }, data: { heartbeatAt: new Date(Date.now() - 2 * 60_000) } });
        await retireBoot(t.db, retired);
        const orphans = (await findOrphanedReservations(t.db, { staleMs: 60_000, now: new Date(Date.now() + 5) })).filter((o) => o.userId === userId);
        expect(Object.fromEntries(orphans.map((o) => [o.id.split(":")[1], o.reason]))).toEqual({
          restarted: "restarted",
          silent: "stale",
          retired: "unknown_instance",
          expired: "expired",
        });
        const { orphanedHolds } = await verifyLedger(t.db, { staleMs: 60_000, now: new Date(Date.now() + 5) });
        expect(orphanedHolds.find((h) => h.userId === userId)).toMatchObject({ heldNanoUsd: 400n, reservations: 4 });
        expect(await recoverOrphanedHolds(t.db, { staleMs: 60_000, now: new Date(Date.now() + 5) })).toMatchObject({
          released: 4,
          byReason: { restarted: 1, stale: 1, unknown_instance: 1, expired: 1 },
        });
        expect(await t.db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({ reservedNanoUsd: 200n });
      });

      it("a heartbeat keeps an instance live and notices another process taking its id", async () => {
        const owner = { instanceId: `beat-${n++}`, bootId: "b1" };
        await registerBoot(t.db, owner, new Date(Date.now() - 10 * 60_000));
        expect(await heartbeat(t.db, owner)).toBe("ok");
        expect((await t.db.gatewayInstance.findUniqueOrThrow({ where: { id: owner.instanceId } })).heartbeatAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
        await registerBoot(t.db, { ...owner, bootId: "b2" });
        expect(await heartbeat(t.db, owner)).toBe("taken_over");
      });

      it("charges a recovered hold its checkpoint under charge:<generation id>, writes its record and releases it, in one go", async () => {
        const userId = await newUser();
        const key = await t.db.apiKey.create({ data: { userId, name: "k", hash: `h-${userId}`, start: "sk" } });
        const owner = { instanceId: `one-${userId}`, bootId: "b1" };
        await registerBoot(t.db, owner);
        const id = `gen-${userId}`;
        await reserve(t.db, { id, userId, apiKeyId: key.id, amountNanoUsd: 5_000n, ttlMs: HOUR, owner });
        await checkpointReservation(t.db, { reservationId: id, costNanoUsd: 1_234n, record: serializeProvisionalRecord(recordOf(id, userId, 1_234n)) });
        await registerBoot(t.db, { ...owner, bootId: "b2" });
        const summary = await recoverOrphanedHolds(t.db, { staleMs: HOUR });
        expect(summary).toMatchObject({ released: 1, chargedNanoUsd: 1_234n, byReason: { restarted: 1 } });
        expect(
          await t.db.ledgerEntry.findMany({ where: { userId, kind: "charge" }, select: { amountNanoUsd: true, idempotencyKey: true, generationId: true } }),
        ).toEqual([{ amountNanoUsd: -1_234n, idempotencyKey: `charge:${id}`, generationId: id }]);
        expect(await t.db.generation.findUniqueOrThrow({ where: { id }, include: { attempts: true } })).toMatchObject({
          status: "error",
          errorType: "instance_crashed",
          costNanoUsd: 1_234n,
          completionTokens: 40,
          providerSlug: "fast",
          attempts: [{ providerSlug: "fast", served: true }],
        });
        expect(await t.db.usageRollup.findFirstOrThrow({ where: { userId } })).toMatchObject({ requests: 1, errors: 1, costNanoUsd: 1_234n });
        expect(await t.db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({ balanceNanoUsd: 1_000_000n - 1_234n, reservedNanoUsd: 0n });
        expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ reservedNanoUsd: 0n, spentNanoUsd: 1_234n });
      });

      it("still releases the hold when its record cannot be written", async () => {
        const userId = await newUser();
        const owner = { instanceId: `norec-${userId}`, bootId: "b1" };
        await registerBoot(t.db, owner);
        const id = `gen-${userId}`;
        await reserve(t.db, { id, userId, apiKeyId: null, amountNanoUsd: 5_000n, ttlMs: HOUR, owner });
        await checkpointReservation(t.db, { reservationId: id, costNanoUsd: 700n, record: serializeProvisionalRecord(recordOf(id, userId, 700n)) });
        // A row with this id already exists (settlement failed but its record was written).
        await t.db.generation.create({ data: { id, userId, api: "chat", requestedModel: "m", status: "success", httpStatus: 200 } });
        expect(await recoverReservation(t.db, id)).toEqual({ recovered: true, chargedNanoUsd: 700n, recorded: false });
        expect(await t.db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({ balanceNanoUsd: 1_000_000n - 700n, reservedNanoUsd: 0n });
      });

      it("charges each request exactly once when recovery and a late settlement race, whoever wins", async () => {
        const request = fc.record({
          checkpoint: fc.option(fc.bigInt({ min: 0n, max: 4_000n }), { nil: null }),
          final: fc.bigInt({ min: 0n, max: 5_000n }),
          order: fc.constantFrom("recover-first", "settle-first", "together"),
        });
        await fc.assert(
          fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 6 }), async (requests) => {
            const userId = await newUser();
            const owner = { instanceId: `race-${userId}`, bootId: "b1" };
            await registerBoot(t.db, owner);
            const ids = requests.map((_, i) => `gen-${userId}-${i}`);
            for (const [i, r] of requests.entries()) {
              expect(await reserve(t.db, { id: ids[i], userId, apiKeyId: null, amountNanoUsd: 5_000n, ttlMs: HOUR, owner })).toEqual({ ok: true });
              if (r.checkpoint !== null)
                await checkpointReservation(t.db, {
                  reservationId: ids[i],
                  costNanoUsd: r.checkpoint,
                  record: serializeProvisionalRecord(recordOf(ids[i], userId, r.checkpoint)),
                });
            }
            // Taken for dead while its requests were still running.
            await t.db.gatewayInstance.update({ where: { id: owner.instanceId }, data: { heartbeatAt: new Date(0) } });
            const lateSettle = (i: number) =>
              settle(t.db, { reservationId: ids[i], costNanoUsd: requests[i].final, idempotencyKey: `charge:${ids[i]}`, generationId: ids[i] });
            const outcomes = await Promise.all(
              requests.map(async (r, i) => {
                if (r.order === "recover-first")
                  return { recovered: (await recoverReservation(t.db, ids[i])).recovered, settled: (await lateSettle(i)).settled };
                if (r.order === "settle-first") {
                  const { settled } = await lateSettle(i);
                  return { settled, recovered: (await recoverReservation(t.db, ids[i])).recovered };
                }
                const [recovery, settlement] = await Promise.all([recoverReservation(t.db, ids[i]), lateSettle(i)]);
                return { recovered: recovery.recovered, settled: settlement.settled };
              }),
            );
            let expectedCharges = 0n;
            for (const [i, r] of requests.entries()) {
              const { recovered, settled } = outcomes[i];
              expect(recovered !== settled).toBe(true); // exactly one of them closed the hold
              const cost = recovered ? (r.checkpoint ?? 0n) : r.final;
              expectedCharges += cost;
              const entries = await t.db.ledgerEntry.findMany({ where: { idempotencyKey: `charge:${ids[i]}` } });
              expect(entries.map((e) => e.amountNanoUsd)).toEqual(cost > 0n ? [-cost] : []);
              const row = await t.db.generation.findUnique({ where: { id: ids[i] } });
              // Recovery's record matches its charge; the late settlement's own record is the sink's (not here).
              expect(row?.costNanoUsd ?? null).toBe(recovered && r.checkpoint !== null ? r.checkpoint : null);
            }
            expect(await t.db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({
              balanceNanoUsd: 1_000_000n - expectedCharges,
              reservedNanoUsd: 0n,
            });
            expect(await recoverOrphanedHolds(t.db, { staleMs: HOUR })).toMatchObject({ released: 0 });
          }),
          { numRuns: kind === "sqlite" ? 25 : 15 },
        );
        expect((await verifyLedger(t.db)).mismatches).toEqual([]);
      });
    });
  }
});
