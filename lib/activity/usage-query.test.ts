import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { formatNanoUsd } from "../gateway/metering/money";
import type { GenerationRecord } from "../gateway/ports/gateway-deps";
import { prepareDashboardFigures } from "./dashboard-figures";
import { createGenerationWriter } from "./generation-writer";
import { resolveChartRange } from "./usage-buckets";
import { prepareUsageCharts } from "./usage-charts";
import { hasAnyUsage, listUsageFilterOptions, loadKeyLabels, queryProviderUsageRows, queryUsageSeries, type UsageScope } from "./usage-query";

const START = Date.parse("2026-11-01T00:00:00Z");
const NOW = new Date("2026-11-21T12:00:00Z");

function record(i: number, userId: string, apiKeyId: string | null): GenerationRecord {
  const failed = i % 9 === 0;
  return {
    id: `gen_${userId}_${i}`,
    userId,
    apiKeyId,
    api: "chat",
    requestedModel: "m/asked",
    modelSlug: failed && i % 2 ? null : ["m/a", "m/b", "m/c"][i % 3],
    providerSlug: failed ? null : ["p1", "p2"][i % 2],
    endpointId: null,
    streamed: true,
    status: failed ? "error" : "success",
    httpStatus: failed ? 502 : 200,
    errorType: null,
    errorMessage: null,
    finishReason: "stop",
    promptTokens: 200 + i,
    completionTokens: 30 + i,
    cacheReadTokens: i % 4 ? 50 : 0,
    cacheWriteTokens: i % 5 ? 0 : 20,
    reasoningTokens: i % 3 ? 0 : 10,
    costNanoUsd: BigInt(1_234_567 * i),
    costBreakdown: null,
    ttftMs: failed ? null : 100 + (i % 7) * 10,
    latencyMs: 400 + i,
    throughput: failed ? null : 30 + (i % 5),
    createdAt: new Date(START + i * 97 * 60_000),
    attempts: [],
  };
}

type Raw = Awaited<ReturnType<TestDatabase["db"]["generation"]["findMany"]>>;

function rawSums(rows: Raw) {
  const measured = rows.filter((r) => r.ttftMs !== null);
  const withThroughput = rows.filter((r) => r.throughput !== null);
  return {
    requests: rows.length,
    errors: rows.filter((r) => r.status === "error").length,
    promptTokens: rows.reduce((n, r) => n + r.promptTokens, 0),
    completionTokens: rows.reduce((n, r) => n + r.completionTokens, 0),
    cacheReadTokens: rows.reduce((n, r) => n + r.cacheReadTokens, 0),
    costUsd: formatNanoUsd(rows.reduce((n, r) => n + r.costNanoUsd, 0n)),
    avgTtftMs: measured.reduce((n, r) => n + r.ttftMs!, 0) / measured.length,
    avgThroughput: withThroughput.reduce((n, r) => n + r.throughput!, 0) / withThroughput.length,
  };
}

describe("usage query over rollups", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      let alice: string;
      let bob: string;
      let aliceKeys: string[];
      let bobKey: string;

      // As GET /api/console/usage does it: hour charts from the hourly rollups, the rest from the daily ones.
      async function charts(scope: UsageScope, granularity: "hour" | "day" = "day", from = START, to = NOW.getTime()) {
        const range = resolveChartRange({ from, to, granularity, timeZone: "UTC" });
        const rows = await queryUsageSeries(t.db, { ...scope, from: new Date(range.from), to: new Date(to) }, granularity);
        const names = await loadKeyLabels(
          t.db,
          rows.key.map((r) => r.apiKeyId),
        );
        return prepareUsageCharts(rows, range, { keyLabel: (id) => names.get(id) ?? "Unknown key" });
      }

      beforeAll(async () => {
        t = await createTestDatabase(kind);
        alice = (await t.db.user.create({ data: { email: "alice@example.com", role: "admin" } })).id;
        bob = (await t.db.user.create({ data: { email: "bob@example.com" } })).id;
        const key = (userId: string, name: string, deleted = false) =>
          t.db.apiKey
            .create({ data: { userId, name, hash: `${userId}-${name}`, start: `sk-sy-v1-${name.slice(0, 4)}`, deletedAt: deleted ? new Date() : null } })
            .then((k) => k.id);
        aliceKeys = [await key(alice, "prod"), await key(alice, "old", true)];
        bobKey = await key(bob, "prod");
        await key(bob, "unused");
        const writer = createGenerationWriter(t.db, { flushIntervalMs: 60_000, maxBatch: 13 });
        for (let i = 1; i <= 120; i++) writer.record(record(i, alice, i % 10 === 0 ? null : aliceKeys[i % 2]));
        for (let i = 1; i <= 45; i++) writer.record(record(i, bob, bobKey));
        await writer.stop();
      });
      afterAll(async () => t?.drop());

      it("all accounts (an admin's scope): totals equal the sums of the raw records", async () => {
        const all = await charts({ userId: null, from: null, to: null });
        expect(all.totals).toMatchObject(rawSums(await t.db.generation.findMany()));
        expect(all.totals.avgTtftMs).toBeGreaterThan(0);
        // Every series adds up to the same totals as the cards.
        const sumPoints = (chart: { points: Record<string, number>[] }) =>
          chart.points.reduce((n, p) => n + Object.entries(p).reduce((m, [k, v]) => (k === "t" ? m : m + v), 0), 0);
        expect(sumPoints(all.usage.tokensByModel)).toBe(all.totals.totalTokens);
        expect(sumPoints(all.usage.tokensByType)).toBe(all.totals.totalTokens);
        expect(sumPoints(all.providers.requestsByProvider)).toBe(all.totals.requests);
        expect(sumPoints(all.usage.costByKey)).toBe(all.totals.costNanoUsd);
      });

      it("a member's own scope: only their records", async () => {
        const own = await charts({ userId: bob, from: null, to: null });
        expect(own.totals).toMatchObject(rawSums(await t.db.generation.findMany({ where: { userId: bob } })));
        expect(own.usage.keys.map((k) => k.label)).toEqual(["prod"]);
        const aliceCharts = await charts({ userId: alice, from: null, to: null });
        expect(aliceCharts.totals.requests + own.totals.requests).toBe(165);
        expect(aliceCharts.usage.keys.map((k) => k.label).sort()).toEqual(["No key", "old (deleted)", "prod"]);
      });

      it("filters by key, model and provider", async () => {
        const byKey = await charts({ userId: null, from: null, to: null, apiKeyId: aliceKeys[0] });
        expect(byKey.totals).toMatchObject(rawSums(await t.db.generation.findMany({ where: { apiKeyId: aliceKeys[0] } })));
        const byModel = await charts({ userId: alice, from: null, to: null, model: "m/b" });
        expect(byModel.totals).toMatchObject(rawSums(await t.db.generation.findMany({ where: { userId: alice, modelSlug: "m/b" } })));
        const byProvider = await charts({ userId: null, from: null, to: null, provider: "p2" });
        expect(byProvider.totals.requests).toBe(await t.db.generation.count({ where: { providerSlug: "p2" } }));
        expect(byProvider.providers.rows.map((p) => p.id)).toEqual(["p2"]);
      });

      it("agrees between the hourly and the daily rollups: hours summed per UTC day are the day's bars", async () => {
        // The records run from 1 to 9 November, about 15 a day.
        const [from, to] = [Date.parse("2026-11-03T00:00:00Z"), Date.parse("2026-11-05T00:00:00Z")];
        const hourly = await charts({ userId: null, from: null, to: null }, "hour", from, to);
        const daily = await charts({ userId: null, from: null, to: null }, "day", from, to);
        expect(hourly.totals.requests).toBeGreaterThan(0);
        expect(hourly.totals).toEqual(daily.totals);
        expect(hourly.usage.models).toEqual(daily.usage.models);
        expect(hourly.providers.rows).toEqual(daily.providers.rows);
        const perDay = new Map<number, number>();
        for (const p of hourly.usage.tokensByType.points) {
          const day = Math.floor(p.t / 86_400_000) * 86_400_000;
          perDay.set(day, (perDay.get(day) ?? 0) + Object.entries(p).reduce((n, [k, v]) => (k === "t" ? n : n + v), 0));
        }
        expect(daily.usage.tokensByType.points.map((p) => [p.t, perDay.get(p.t) ?? 0])).toEqual(
          daily.usage.tokensByType.points.map((p) => [p.t, Object.entries(p).reduce((n, [k, v]) => (k === "t" ? n : n + v), 0)]),
        );
      });

      it("offers filter options in scope, accounts only to admins", async () => {
        const member = await listUsageFilterOptions(t.db, bob, { includeAccounts: false });
        expect(member.keys.map((k) => k.label)).toEqual(["prod", "unused"]);
        // Calls that failed before reaching a model count under the requested name.
        expect(member.models.map((m) => m.value)).toEqual(["m/a", "m/asked", "m/b", "m/c"]);
        expect(member.providers.map((p) => p.value)).toEqual(["p1", "p2"]);
        expect(member.accounts).toBeNull();
        const admin = await listUsageFilterOptions(t.db, null, { includeAccounts: true });
        expect(admin.keys.map((k) => k.label)).toEqual(["old (deleted)", "prod (sk-sy-v1-prod…)", "prod (sk-sy-v1-prod…)", "unused"]);
        expect(admin.models.map((m) => m.value)).toEqual(["m/a", "m/asked", "m/b", "m/c"]);
        expect(admin.accounts?.map((a) => a.label)).toEqual(["alice@example.com", "bob@example.com"]);
      });

      it("feeds the dashboard from the rollups", async () => {
        const rows = await queryUsageSeries(t.db, { userId: bob, from: new Date(START), to: null }, "day", ["model"]);
        expect(rows.provider).toEqual([]);
        const figures = prepareDashboardFigures(rows.model, NOW);
        const raw = await t.db.generation.findMany({ where: { userId: bob } });
        expect(figures.spend.last30DaysUsd).toBe(rawSums(raw).costUsd);
        expect(figures.requests).toBe(45);
        expect(figures.errors).toBe(raw.filter((r) => r.status === "error").length);
        expect(await hasAnyUsage(t.db, bob)).toBe(true);
        const carol = (await t.db.user.create({ data: { email: "carol@example.com" } })).id;
        expect(await hasAnyUsage(t.db, carol)).toBe(false);
      });

      it("sums one provider's days over every account, key and model, from a given day on", async () => {
        const from = new Date("2026-11-02T00:00:00Z");
        const rows = await queryProviderUsageRows(t.db, "p2", from);
        const raw = await t.db.generation.findMany({ where: { providerSlug: "p2", createdAt: { gte: from } } });
        expect(raw.some((r) => r.userId === alice) && raw.some((r) => r.userId === bob)).toBe(true);
        expect(new Set(rows.map((r) => r.start.getTime())).size).toBe(rows.length);
        expect(rows.every((r) => r.providerSlug === "p2" && r.apiKeyId === "" && r.modelSlug === "" && r.start >= from)).toBe(true);
        const total = (of: { promptTokens: number; completionTokens: number }[]) =>
          of.reduce((n, r) => ({ promptTokens: n.promptTokens + r.promptTokens, completionTokens: n.completionTokens + r.completionTokens }), {
            promptTokens: 0,
            completionTokens: 0,
          });
        expect(rows.reduce((n, r) => n + r.requests, 0)).toBe(raw.length);
        expect(total(rows)).toEqual(total(raw));
      });
    });
  }
});
