import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { EndpointHealth } from "../gateway/health/endpoint-health";
import { startStatsSync } from "../gateway/health/stats-sync";
import { createEndpointStatsStore } from "./endpoint-stats-store";

describe("endpoint statistics persisted as buckets", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      beforeAll(async () => {
        t = await createTestDatabase(kind);
      });
      afterAll(async () => t?.drop());

      it("survive a restart and are shared between instances; old buckets are purged", async () => {
        let clock = Date.parse("2026-11-22T12:00:10Z");
        const now = () => clock;
        const store = createEndpointStatsStore(t.db);

        const first = new EndpointHealth({ now });
        const firstSync = startStatsSync(first, store, { writer: "a:1", intervalMs: 60_000, now });
        await firstSync.ready;
        for (const ttft of [100, 120, 140, 160]) first.recordSuccess("ep", { ttftMs: ttft, tokensPerSecond: 50 });
        first.recordFailure("ep");
        await firstSync.stop();
        const before = first.stats("ep");

        // A second instance (or the first after a restart, with a new writer id) starts with them.
        clock += 30_000;
        const second = new EndpointHealth({ now });
        const secondSync = startStatsSync(second, store, { writer: "b:2", intervalMs: 60_000, now });
        await secondSync.ready;
        expect(second.stats("ep")).toEqual(before);
        expect(second.stats("ep")).toMatchObject({ requests: 5, successRate: 0.8 });

        // Both write; each sees the sum after the next sync.
        second.recordSuccess("ep", { ttftMs: 110 });
        await secondSync.flush();
        const third = new EndpointHealth({ now });
        const thirdSync = startStatsSync(third, store, { writer: "c:3", intervalMs: 60_000, now });
        await thirdSync.ready;
        expect(third.windows("ep").hour).toMatchObject({ requests: 6, failures: 1 });
        await secondSync.stop();
        await thirdSync.stop();

        // A week later the old minutes are purged; the next instance starts empty.
        clock += 8 * 86_400_000;
        const later = new EndpointHealth({ now });
        const laterSync = startStatsSync(later, store, { writer: "d:4", intervalMs: 60_000, now, retentionDays: 7 });
        await laterSync.ready;
        await laterSync.stop();
        expect(await t.db.endpointStatBucket.count()).toBe(0);
        expect(later.stats("ep").requests).toBe(0);
      });
    });
  }
});
