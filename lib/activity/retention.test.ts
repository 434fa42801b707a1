import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import type { GenerationRecord } from "../gateway/ports/gateway-deps";
import { createGenerationWriter } from "./generation-writer";
import { purgeOldActivity, retentionPolicy } from "./retention";

describe("retentionPolicy", () => {
  it("defaults to 90 days of activity and 7 of stored bodies, never keeping bodies longer than rows", () => {
    expect(retentionPolicy({})).toEqual({ days: 90, contentDays: 7 });
    expect(retentionPolicy({ LOG_RETENTION_DAYS: "30", CONTENT_RETENTION_DAYS: "14" })).toEqual({ days: 30, contentDays: 14 });
    expect(retentionPolicy({ LOG_RETENTION_DAYS: "3", CONTENT_RETENTION_DAYS: "14" })).toEqual({ days: 3, contentDays: 3 });
    expect(retentionPolicy({ LOG_RETENTION_DAYS: "zero", CONTENT_RETENTION_DAYS: "-1" })).toEqual({ days: 90, contentDays: 7 });
  });
});

const DAY = 86_400_000;

function record(id: string, userId: string, createdAt: Date, withContent: boolean): GenerationRecord {
  return {
    id,
    userId,
    apiKeyId: null,
    api: "chat",
    requestedModel: "m/x",
    modelSlug: "m/x",
    providerSlug: "p1",
    endpointId: null,
    streamed: false,
    status: "success",
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    finishReason: "stop",
    promptTokens: 10,
    completionTokens: 5,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNanoUsd: 100n,
    costBreakdown: null,
    ttftMs: 20,
    latencyMs: 40,
    throughput: 50,
    createdAt,
    attempts: [],
    content: withContent ? { requestBody: '{"messages":[]}', responseBody: '{"choices":[]}', truncated: false } : null,
  };
}

describe("purging stored bodies sooner than activity rows", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      beforeAll(async () => {
        t = await createTestDatabase(kind);
      });
      afterAll(async () => t?.drop());

      it("drops bodies past CONTENT_RETENTION_DAYS and rows past LOG_RETENTION_DAYS, keeping the rest", async () => {
        const userId = (await t.db.user.create({ data: { email: "keep@example.com", storeContent: true } })).id;
        const now = new Date("2026-11-22T12:00:00Z");
        const writer = createGenerationWriter(t.db, { flushIntervalMs: 60_000 });
        writer.record(record("gen_fresh", userId, new Date(now.getTime() - 1 * DAY), true));
        writer.record(record("gen_week_old", userId, new Date(now.getTime() - 8 * DAY), true));
        writer.record(record("gen_ancient", userId, new Date(now.getTime() - 100 * DAY), true));
        writer.record(record("gen_no_body", userId, new Date(now.getTime() - 2 * DAY), false));
        await writer.stop();
        expect(await t.db.generationContent.count()).toBe(3);
        // Bodies are not kept in the writer's memory either.
        expect(writer.recent("gen_fresh", userId)?.content).toBeNull();

        const purged = await purgeOldActivity(t.db, { days: 90, contentDays: 7 }, now);
        expect(purged).toMatchObject({ generations: 1, contents: 2 });
        expect((await t.db.generation.findMany({ orderBy: { id: "asc" } })).map((g) => g.id)).toEqual(["gen_fresh", "gen_no_body", "gen_week_old"]);
        expect((await t.db.generationContent.findMany()).map((c) => c.generationId)).toEqual(["gen_fresh"]);
      });
    });
  }
});
