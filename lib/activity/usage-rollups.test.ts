import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailyRollupBackfillSql } from "@/tests/support/daily-rollup-backfill";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import type { GenerationRecord } from "../gateway/ports/gateway-deps";
import { createGenerationWriter } from "./generation-writer";
import { purgeOldActivity } from "./retention";
import { rebuildRollups } from "./usage-rollups";

function record(i: number, userId: string, createdAt: Date): GenerationRecord {
  return {
    id: `gen_${userId}_${i}`,
    userId,
    apiKeyId: null,
    api: i % 2 ? "chat" : "messages",
    requestedModel: "m/x",
    modelSlug: i % 3 ? "m/x" : "m/y",
    providerSlug: i % 4 ? "p1" : "p2",
    endpointId: null,
    streamed: i % 2 === 0,
    status: i % 5 === 0 ? "error" : "success",
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    finishReason: "stop",
    promptTokens: 100 + i,
    completionTokens: 10 + i,
    cacheReadTokens: i,
    cacheWriteTokens: 0,
    reasoningTokens: i % 7,
    costNanoUsd: BigInt(1000 * i),
    costBreakdown: null,
    ttftMs: i % 6 ? 50 + i : null,
    latencyMs: 200 + i,
    throughput: i % 4 ? 20 + i / 2 : null,
    createdAt,
    attempts: [],
  };
}

const snapshot = async (t: TestDatabase) => ({
  hourly: (await t.db.usageRollup.findMany({ orderBy: [{ hour: "asc" }, { modelSlug: "asc" }, { providerSlug: "asc" }] })).map(({ id: _id, ...row }) => row),
  daily: await t.db.usageDailyRollup.findMany({ orderBy: [{ day: "asc" }, { modelSlug: "asc" }, { providerSlug: "asc" }] }),
});

/** The hourly rows summed per UTC day, in the daily table's shape and order. */
function sumHoursIntoDays(hourly: Awaited<ReturnType<typeof snapshot>>["hourly"]) {
  const days = new Map<string, Record<string, unknown>>();
  for (const { hour, ...row } of hourly) {
    const day = new Date(Math.floor(hour.getTime() / 86_400_000) * 86_400_000);
    const id = `${day.getTime()}|${row.modelSlug}|${row.providerSlug}|${row.apiKeyId}|${row.userId}`;
    const sum = days.get(id);
    if (!sum) days.set(id, { day, ...row });
    else for (const [field, value] of Object.entries(row)) if (typeof value !== "string") sum[field] = (sum[field] as number) + (value as number);
  }
  const order = (r: Record<string, unknown>) => `${(r.day as Date).toISOString()}|${r.modelSlug}|${r.providerSlug}`;
  return [...days.values()].sort((a, b) => order(a).localeCompare(order(b)));
}

describe("usage rollups and retention", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      let userId: string;
      beforeAll(async () => {
        t = await createTestDatabase(kind);
        userId = (await t.db.user.create({ data: { email: "roll@example.com" } })).id;
      });
      afterAll(async () => t?.drop());

      it("maintains hourly rollups as batches are written, equal to a rebuild from raw rows", async () => {
        const writer = createGenerationWriter(t.db, { flushIntervalMs: 60_000, maxBatch: 7 });
        // 40 calls 47 minutes apart from 10:00 UTC: they span two UTC days.
        const base = Date.parse("2026-11-20T10:00:00Z");
        for (let i = 1; i <= 40; i++) writer.record(record(i, userId, new Date(base + i * 47 * 60_000)));
        await writer.stop();
        const maintained = await snapshot(t);
        expect(maintained.hourly.length).toBeGreaterThan(4);
        expect(maintained.hourly.reduce((n, r) => n + r.requests, 0)).toBe(40);
        expect(new Set(maintained.daily.map((r) => r.day.toISOString()))).toEqual(new Set(["2026-11-20T00:00:00.000Z", "2026-11-21T00:00:00.000Z"]));
        expect(maintained.daily).toEqual(sumHoursIntoDays(maintained.hourly));
        await rebuildRollups(t.db);
        expect(await snapshot(t)).toEqual(maintained);
      });

      it("backfills daily rollups from hourly ones in migration 0010 exactly as the writer keeps them", async () => {
        const maintained = await snapshot(t);
        await t.db.usageDailyRollup.deleteMany({});
        await t.db.$executeRawUnsafe(dailyRollupBackfillSql(kind));
        expect(await snapshot(t)).toEqual(maintained);
      });

      it("purges raw rows past the retention period and keeps the rollups", async () => {
        const before = await snapshot(t);
        const { generations } = await purgeOldActivity(t.db, { days: 1, contentDays: 1 }, new Date("2026-11-30T00:00:00Z"));
        expect(generations).toBe(40);
        expect(await t.db.generation.count()).toBe(0);
        expect(await t.db.generationAttempt.count()).toBe(0);
        expect(await snapshot(t)).toEqual(before);
      });
    });
  }
});
