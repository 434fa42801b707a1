/**
 * A charged call never loses its activity record, on SQLite and PostgreSQL: settlement
 * stores the record on its reservation, the activity writer marks it recorded, and
 * recovery writes exactly the rows a dead process had not written, once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { GenerationRecord } from "@/lib/gateway/ports/gateway-deps";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { createGenerationWriter } from "../activity/generation-writer";
import { registerBoot } from "./instance-registry";
import { credit, reserve, settle, verifyLedger } from "./ledger";
import { recoverOrphanedHolds } from "./orphaned-holds";
import { parseProvisionalRecord, serializeProvisionalRecord } from "./provisional-record";
import { recoverUnrecordedSettlements } from "./unrecorded-settlements";

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
    streamed: false,
    status: "success",
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    finishReason: "stop",
    promptTokens: 12,
    completionTokens: 40,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNanoUsd,
    costBreakdown: null,
    ttftMs: 120,
    latencyMs: 300,
    throughput: 20,
    createdAt: new Date(Date.now() - 1000),
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
        startedAt: new Date(Date.now() - 1000),
      },
    ],
    content: { requestBody: "{}", responseBody: "{}", truncated: false },
  };
}

describe("records of settled calls", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      let n = 0;
      beforeAll(async () => {
        t = await createTestDatabase(kind);
      });
      afterAll(async () => t?.drop());

      /** An account, its instance's boot, and `count` calls charged 1,000 nano-USD each with their records. */
      async function settledCalls(count: number, record: (id: string, userId: string) => GenerationRecord = (id, userId) => recordOf(id, userId, 1_000n)) {
        const userId = (await t.db.user.create({ data: { email: `r${n++}@example.com` } })).id;
        await credit(t.db, { userId, kind: "top_up", amountNanoUsd: 1_000_000n, idempotencyKey: `top:${userId}` });
        const owner = { instanceId: `inst-${userId}`, bootId: "b1" };
        await registerBoot(t.db, owner);
        const records: GenerationRecord[] = [];
        for (let i = 0; i < count; i++) {
          const id = `gen-${userId}-${i}`;
          records.push(record(id, userId));
          await reserve(t.db, { id, userId, apiKeyId: null, amountNanoUsd: 5_000n, ttlMs: HOUR, owner });
          expect(
            await settle(t.db, {
              reservationId: id,
              costNanoUsd: 1_000n,
              idempotencyKey: `charge:${id}`,
              generationId: id,
              record: serializeProvisionalRecord(records[i]),
            }),
          ).toEqual({ settled: true, charged: true });
        }
        const restart = () => registerBoot(t.db, { ...owner, bootId: "b2" });
        return { userId, records, restart };
      }

      const reservationsOf = (userId: string) =>
        t.db.reservation.findMany({ where: { userId }, orderBy: { id: "asc" }, select: { id: true, recordedAt: true, provisionalRecord: true } });

      it("settlement stores the record (without bodies) on the reservation it closes, and the writer's batch marks it recorded", async () => {
        const { userId, records } = await settledCalls(2);
        const [stored] = await reservationsOf(userId);
        expect(stored.recordedAt).toBeNull();
        expect(parseProvisionalRecord(stored.provisionalRecord!)).toMatchObject({ id: records[0].id, costNanoUsd: 1_000n, completionTokens: 40 });
        expect(stored.provisionalRecord).not.toContain("requestBody");
        const writer = createGenerationWriter(t.db, { flushIntervalMs: HOUR, log: () => {} });
        writer.record(records[0]);
        await writer.stop();
        const [marked, queued] = await reservationsOf(userId);
        expect(marked).toMatchObject({ recordedAt: expect.any(Date), provisionalRecord: null });
        expect(queued).toMatchObject({ recordedAt: null, provisionalRecord: expect.any(String) });
      });

      it("recovery writes exactly the rows a dead boot had not written, once, even run twice at once, and never touches the ledger", async () => {
        const { userId, records, restart } = await settledCalls(4);
        const writer = createGenerationWriter(t.db, { flushIntervalMs: HOUR, log: () => {} });
        writer.record(records[0]);
        await writer.stop();
        // Its owner is alive: its writer may still hold them.
        expect(await recoverUnrecordedSettlements(t.db, { staleMs: HOUR })).toEqual({ written: 0, givenUp: 0 });
        await restart();
        const ledgerBefore = await t.db.ledgerEntry.findMany({ where: { userId }, orderBy: { id: "asc" } });
        const balanceBefore = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
        const runs = await Promise.all([recoverUnrecordedSettlements(t.db, { staleMs: HOUR }), recoverUnrecordedSettlements(t.db, { staleMs: HOUR })]);
        expect(runs[0].written + runs[1].written).toBe(3);
        expect(await recoverUnrecordedSettlements(t.db, { staleMs: HOUR })).toEqual({ written: 0, givenUp: 0 });
        const rows = await t.db.generation.findMany({ where: { userId }, orderBy: { id: "asc" }, include: { attempts: true } });
        expect(rows.map((r) => [r.id, r.status, r.costNanoUsd, r.attempts.length])).toEqual(records.map((r) => [r.id, "success", 1_000n, 1]));
        expect(await t.db.usageRollup.aggregate({ where: { userId }, _sum: { requests: true, costNanoUsd: true } })).toMatchObject({
          _sum: { requests: 4, costNanoUsd: 4_000n },
        });
        expect((await reservationsOf(userId)).every((r) => r.recordedAt !== null && r.provisionalRecord === null)).toBe(true);
        expect(await t.db.ledgerEntry.findMany({ where: { userId }, orderBy: { id: "asc" } })).toEqual(ledgerBefore);
        expect(await t.db.user.findUniqueOrThrow({ where: { id: userId } })).toEqual(balanceBefore);
      });

      it("gives a record the database refuses up once: parked by the writer, or logged by recovery", async () => {
        // Records naming an account that no longer exists: the foreign key refuses their rows.
        const { userId, records, restart } = await settledCalls(2, (id) => recordOf(id, "deleted-user", 1_000n));
        const lines: string[] = [];
        const writer = createGenerationWriter(t.db, { flushIntervalMs: HOUR, log: (line) => lines.push(line) });
        writer.record(records[0]);
        await writer.stop();
        expect(lines).toEqual([expect.stringMatching(new RegExp(`^generation writer: parked record ${records[0].id} `))]);
        expect((await reservationsOf(userId))[0].recordedAt).not.toBeNull();
        await restart();
        const errors = vi.spyOn(console, "error").mockImplementation(() => {});
        try {
          expect(await recoverUnrecordedSettlements(t.db, { staleMs: HOUR })).toEqual({ written: 0, givenUp: 1 });
          expect(await recoverUnrecordedSettlements(t.db, { staleMs: HOUR })).toEqual({ written: 0, givenUp: 0 });
          expect(errors.mock.calls.map(([line]) => String(line))).toEqual([
            expect.stringMatching(new RegExp(`^activity recovery: writing generation ${records[1].id} \\(user ${userId}\\) failed, giving it up: `)),
          ]);
        } finally {
          errors.mockRestore();
        }
        expect((await reservationsOf(userId)).every((r) => r.recordedAt !== null)).toBe(true);
        expect(await t.db.generation.count({ where: { id: { in: records.map((r) => r.id) } } })).toBe(0);
      });

      it("ledger:verify reports a charge without an activity row once it is a few minutes old, until recovery writes it", async () => {
        const { records, restart } = await settledCalls(1);
        const [id] = records.map((r) => r.id);
        const later = new Date(Date.now() + 10 * 60_000);
        expect((await verifyLedger(t.db, { staleMs: HOUR })).chargesWithoutRecord.map((c) => c.generationId)).not.toContain(id);
        expect((await verifyLedger(t.db, { staleMs: HOUR, now: later })).chargesWithoutRecord.filter((c) => c.generationId === id)).toEqual([
          { generationId: id, userId: records[0].userId, chargedNanoUsd: 1_000n, chargedAt: expect.any(Date) },
        ]);
        await restart();
        expect(await recoverOrphanedHolds(t.db, { staleMs: HOUR })).toMatchObject({ recordsWritten: 1 });
        expect((await verifyLedger(t.db, { staleMs: HOUR, now: later })).chargesWithoutRecord.map((c) => c.generationId)).not.toContain(id);
      });
    });
  }
});
