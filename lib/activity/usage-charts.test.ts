import { describe, expect, it } from "vitest";
import type { ChartRange } from "./usage-buckets";
import { OTHER_KEY, prepareUsageCharts, rankPerformance } from "./usage-charts";
import { sumUsage, USAGE_DIMENSIONS, type BreakdownRow, type UsageRow, type UsageRowsByDimension } from "./usage-rows";

function row(start: string, fields: Partial<UsageRow> = {}): UsageRow {
  return {
    start: new Date(start),
    apiKeyId: "",
    modelSlug: "m/a",
    providerSlug: "p1",
    requests: 1,
    errors: 0,
    promptTokens: 100,
    completionTokens: 10,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNanoUsd: 1_000n,
    ttftMsSum: 0,
    ttftCount: 0,
    latencyMsSum: 0,
    throughputSum: 0,
    throughputCount: 0,
    ...fields,
  };
}

const COLUMN = { model: "modelSlug", provider: "providerSlug", key: "apiKeyId" } as const;

/** What the query returns for these rows: the same sums grouped by period and one dimension at a time. */
function byDimension(rows: UsageRow[]): UsageRowsByDimension {
  const grouped = (column: "modelSlug" | "providerSlug" | "apiKeyId") => {
    const groups = new Map<string, UsageRow>();
    for (const r of rows) {
      const id = `${r.start.getTime()}|${r[column]}`;
      const sum = groups.get(id);
      if (!sum) groups.set(id, { ...r, apiKeyId: "", modelSlug: "", providerSlug: "", [column]: r[column] });
      else
        for (const field of Object.keys(r) as (keyof UsageRow)[])
          if (typeof r[field] === "number" || typeof r[field] === "bigint") (sum[field] as number) = (sum[field] as number) + (r[field] as number);
    }
    return [...groups.values()];
  };
  return Object.fromEntries(USAGE_DIMENSIONS.map((d) => [d, grouped(COLUMN[d])])) as UsageRowsByDimension;
}

const labels = { keyLabel: (id: string) => `key ${id}` };
const range = (from: string, to: string, granularity: ChartRange["granularity"], timeZone = "UTC"): ChartRange => ({
  from: Date.parse(from),
  to: Date.parse(to),
  granularity,
  timeZone,
});
const iso = (ms: number) => new Date(ms).toISOString();

describe("prepareUsageCharts", () => {
  it("fills every bucket of an empty range with zeros and totals nothing", () => {
    const charts = prepareUsageCharts(byDimension([]), range("2026-11-18T00:00:00Z", "2026-11-21T00:00:00Z", "day"), labels);
    expect(charts.totals).toMatchObject({ requests: 0, totalTokens: 0, costUsd: "0.00", avgTtftMs: null, avgThroughput: null });
    expect(charts.usage.tokensByModel).toEqual({
      series: [],
      points: [{ t: Date.parse("2026-11-18T00:00:00Z") }, { t: Date.parse("2026-11-19T00:00:00Z") }, { t: Date.parse("2026-11-20T00:00:00Z") }],
    });
    expect(charts.usage.tokensByType.series).toEqual([]);
    expect(charts.providers).toMatchObject({ primary: null, count: 0, successRate: null, fastest: null });
    expect(charts.performance.ttftByModel).toEqual([]);
  });

  it("buckets hours into the viewer's local days: 23:00 UTC is tomorrow in Tokyo", () => {
    const rows = [
      row("2026-11-20T14:00:00Z", { promptTokens: 5, completionTokens: 0 }),
      row("2026-11-20T15:00:00Z", { promptTokens: 7, completionTokens: 0 }),
      row("2026-11-20T23:00:00Z", { promptTokens: 11, completionTokens: 0 }),
    ];
    const utc = prepareUsageCharts(byDimension(rows), range("2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z", "day"), labels).usage.tokensByModel.points;
    expect(utc.map((p) => [iso(p.t), p.s0])).toEqual([
      ["2026-11-20T00:00:00.000Z", 23],
      ["2026-11-21T00:00:00.000Z", 0],
    ]);
    const tokyo = prepareUsageCharts(byDimension(rows), range("2026-11-19T15:00:00Z", "2026-11-21T15:00:00Z", "day", "Asia/Tokyo"), labels).usage.tokensByModel
      .points;
    // 14:00 UTC is 23:00 on the 20th in Tokyo; 15:00 and 23:00 UTC are on the 21st.
    expect(tokyo.map((p) => [iso(p.t), p.s0])).toEqual([
      ["2026-11-19T15:00:00.000Z", 5],
      ["2026-11-20T15:00:00.000Z", 18],
    ]);
  });

  it("buckets by local month and leaves out rows outside the range", () => {
    const rows = [row("2026-01-31T23:00:00Z"), row("2026-02-01T00:00:00Z"), row("2026-03-15T12:00:00Z"), row("2025-12-31T22:00:00Z")];
    const charts = prepareUsageCharts(byDimension(rows), range("2026-01-01T00:00:00+01:00", "2026-04-01T00:00:00Z", "month", "Europe/Paris"), labels);
    // Paris is UTC+1 in winter: 31 January 23:00 UTC is already 1 February.
    expect(charts.usage.requestsByModel.points.map((p) => p.s0)).toEqual([0, 2, 1, 0]);
    expect(charts.totals.requests).toBe(3);
  });

  it("gives the top N their own series and sums the rest into Other", () => {
    const rows = ["a", "b", "c", "d", "e"].map((m, i) =>
      row("2026-11-20T10:00:00Z", { modelSlug: `m/${m}`, promptTokens: (i + 1) * 100, completionTokens: 0, costNanoUsd: BigInt(5 - i) }),
    );
    const { series, points } = prepareUsageCharts(byDimension(rows), range("2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", "hour"), labels, [], 2).usage
      .tokensByModel;
    // Colours follow the model table's order (by cost: m/a first), not this chart's ranking.
    expect(series).toEqual([
      { key: "s0", label: "m/e", total: 500, colour: 4 },
      { key: "s1", label: "m/d", total: 400, colour: 3 },
      { key: OTHER_KEY, label: "Other (3)", total: 600, colour: -1 },
    ]);
    expect(points).toEqual([{ t: Date.parse("2026-11-20T10:00:00Z"), s0: 500, s1: 400, other: 600 }]);
    // Ranking follows the chart's own metric: by cost, m/a leads.
    const cost = prepareUsageCharts(byDimension(rows), range("2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", "hour"), labels, [], 2).usage.costByModel.series;
    expect(cost.map((s) => [s.label, s.colour])).toEqual([
      ["m/a", 0],
      ["m/b", 1],
      ["Other (3)", -1],
    ]);
  });

  it("names a single leftover instead of calling it Other, and drops values that add up to nothing", () => {
    const rows = [
      row("2026-11-20T10:00:00Z", { modelSlug: "m/a" }),
      row("2026-11-20T10:00:00Z", { modelSlug: "m/b" }),
      row("2026-11-20T10:00:00Z", { modelSlug: "m/free", costNanoUsd: 0n }),
    ];
    const { series } = prepareUsageCharts(byDimension(rows), range("2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", "hour"), labels, [], 1).usage.costByModel;
    expect(series.map((s) => [s.key, s.label, s.colour])).toEqual([
      ["s0", "m/a", 0],
      [OTHER_KEY, "m/b", 1],
    ]);
  });

  it("splits tokens into disjoint types that add up to prompt + completion", () => {
    const rows = [row("2026-11-20T10:00:00Z", { promptTokens: 1000, cacheReadTokens: 600, cacheWriteTokens: 100, completionTokens: 50, reasoningTokens: 20 })];
    const charts = prepareUsageCharts(byDimension(rows), range("2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", "hour"), labels);
    expect(charts.usage.tokensByType.series.map((s) => [s.label, s.total])).toEqual([
      ["Input", 300],
      ["Cache read", 600],
      ["Cache write", 100],
      ["Output", 30],
      ["Reasoning", 20],
    ]);
    const point = charts.usage.tokensByType.points[0];
    expect(point.input + point.cacheRead + point.cacheWrite + point.output + point.reasoning).toBe(charts.totals.totalTokens);
  });

  it("labels keys and missing providers, and sums exact money", () => {
    const rows = [
      row("2026-11-20T10:00:00Z", { apiKeyId: "k1", costNanoUsd: 4_200_000n }),
      row("2026-11-20T11:00:00Z", { apiKeyId: "", providerSlug: "", errors: 1, costNanoUsd: 1n }),
    ];
    // The failed call tried p1 and p2 before giving up; the served one went to p1 at once.
    const attempts = [
      { providerSlug: "p1", attempts: 2, succeeded: 1 },
      { providerSlug: "p2", attempts: 1, succeeded: 0 },
    ];
    const charts = prepareUsageCharts(byDimension(rows), range("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z", "hour"), labels, attempts);
    expect(charts.usage.keys.map((k) => k.label)).toEqual(["key k1", "No key"]);
    expect(charts.providers.rows.map((p) => [p.label, p.servedCalls, p.attempts])).toEqual([
      ["p1", 1, 2],
      ["No provider", 0, 0],
      ["p2", 0, 1],
    ]);
    expect(charts.providers.count).toBe(1);
    // Success per provider counts every attempt, as the provider pages do: 1 of 3.
    expect(charts.providers.successRate).toBeCloseTo(1 / 3, 10);
    expect(charts.totals.costUsd).toBe("0.004200001");
  });

  it("averages performance weighted by the calls that measured it", () => {
    const rows = [
      row("2026-11-20T10:00:00Z", {
        modelSlug: "m/fast",
        providerSlug: "p1",
        requests: 3,
        ttftMsSum: 300,
        ttftCount: 3,
        throughputSum: 300,
        throughputCount: 3,
        latencyMsSum: 900,
      }),
      row("2026-11-20T11:00:00Z", {
        modelSlug: "m/fast",
        providerSlug: "p2",
        requests: 1,
        ttftMsSum: 500,
        ttftCount: 1,
        throughputSum: 20,
        throughputCount: 1,
        latencyMsSum: 700,
      }),
      row("2026-11-20T11:00:00Z", { modelSlug: "m/slow", providerSlug: "p2", requests: 2, ttftMsSum: 0, ttftCount: 0, throughputSum: 0, throughputCount: 0 }),
    ];
    const charts = prepareUsageCharts(byDimension(rows), range("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z", "hour"), labels);
    expect(charts.totals.avgTtftMs).toBe(200); // (300 + 500) / 4, not the mean of 100 and 500
    expect(charts.totals.avgThroughput).toBe(80);
    expect(charts.performance.ttftByModel).toEqual([{ id: "m/fast", label: "m/fast", value: 200 }]);
    expect(charts.performance.ttftByProvider.map((p) => [p.id, p.value])).toEqual([
      ["p1", 100],
      ["p2", 500],
    ]);
    expect(charts.performance.throughputByProvider.map((p) => p.id)).toEqual(["p1", "p2"]);
    expect(charts.providers.fastest).toMatchObject({ label: "p1", value: 100 });
    expect(charts.providers.primary).toBe("p1");
  });
});

describe("rankPerformance", () => {
  it("keeps the busiest, then sorts fastest first", () => {
    const rows = [
      { id: "a", requests: 1, avgTtftMs: 10 },
      { id: "b", requests: 50, avgTtftMs: 900 },
      { id: "c", requests: 20, avgTtftMs: 300 },
      { id: "d", requests: 99, avgTtftMs: null },
    ].map((r) => ({ ...sumUsage([]), label: r.id, ...r }) as BreakdownRow);
    expect(rankPerformance(rows, "avgTtftMs", 2).map((r) => r.id)).toEqual(["c", "b"]);
  });
});
