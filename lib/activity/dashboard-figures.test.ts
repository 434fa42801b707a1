import { describe, expect, it } from "vitest";
import { dashboardWindowStart, prepareDashboardFigures } from "./dashboard-figures";
import type { UsageRow } from "./usage-charts";

function row(hour: string, modelSlug: string, costNanoUsd: bigint, fields: Partial<UsageRow> = {}): UsageRow {
  return {
    hour: new Date(hour), apiKeyId: "", modelSlug, providerSlug: "p1",
    requests: 1, errors: 0, promptTokens: 10, completionTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
    costNanoUsd, ttftMsSum: 0, ttftCount: 0, latencyMsSum: 0, throughputSum: 0, throughputCount: 0,
    ...fields,
  };
}

describe("dashboard figures", () => {
  // 20 November, 18:00 in Los Angeles; already the 21st in UTC.
  const now = new Date("2026-11-21T02:00:00Z");
  const tz = "America/Los_Angeles";

  it("reads 30 local days back from today", () => {
    expect(dashboardWindowStart(now, tz).toISOString()).toBe("2026-10-22T07:00:00.000Z");
  });

  it("splits spend into the viewer's today, 7 days and 30 days, exactly", () => {
    const rows = [
      row("2026-11-21T01:00:00Z", "m/a", 1n), // today in LA (17:00 on the 20th)
      row("2026-11-20T08:00:00Z", "m/a", 20n), // today in LA (00:00 on the 20th)
      row("2026-11-20T07:00:00Z", "m/b", 300n), // yesterday in LA
      row("2026-11-14T08:00:00Z", "m/b", 4_000n), // 6 days ago: inside 7 days
      row("2026-11-14T07:00:00Z", "m/c", 50_000n, { errors: 1 }), // 7 days ago: outside
      row("2026-10-22T07:00:00Z", "m/c", 600_000n), // the first of the 30 days
      row("2026-10-22T06:00:00Z", "m/c", 7_000_000n), // before the window
    ];
    const figures = prepareDashboardFigures(rows, now, tz);
    expect(figures.spend).toEqual({ todayUsd: "0.000000021", last7DaysUsd: "0.000004321", last30DaysUsd: "0.000654321" });
    expect(figures.requests).toBe(6);
    expect(figures.errors).toBe(1);
    expect(figures.errorRate).toBeCloseTo(1 / 6);
    expect(figures.dailyCost.points).toHaveLength(30);
    expect(figures.dailyCost.points[29]).toEqual({ t: Date.parse("2026-11-20T08:00:00Z"), cost: 21 });
    expect(figures.dailyCost.points[0]).toEqual({ t: Date.parse("2026-10-22T07:00:00Z"), cost: 600_000 });
    expect(figures.topModels.map((m) => [m.model, m.costUsd])).toEqual([["m/c", "0.00065"], ["m/b", "0.0000043"], ["m/a", "0.000000021"]]);
    expect(figures.topModels[0].share).toBeCloseTo(650_000 / 654_321);
  });

  it("says nothing happened when nothing did", () => {
    const figures = prepareDashboardFigures([], now, "UTC");
    expect(figures.spend.todayUsd).toBe("0.00");
    expect(figures.errorRate).toBeNull();
    expect(figures.topModels).toEqual([]);
    expect(figures.dailyCost.series).toEqual([]);
    expect(figures.dailyCost.points.every((p) => p.cost === 0)).toBe(true);
  });
});
