import { describe, expect, it } from "vitest";
import { dashboardWindowStart, prepareDashboardFigures } from "./dashboard-figures";
import type { UsageRow } from "./usage-rows";

function row(day: string, modelSlug: string, costNanoUsd: bigint, fields: Partial<UsageRow> = {}): UsageRow {
  return {
    start: new Date(day),
    apiKeyId: "",
    modelSlug,
    providerSlug: "",
    requests: 1,
    errors: 0,
    promptTokens: 10,
    completionTokens: 5,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNanoUsd,
    ttftMsSum: 0,
    ttftCount: 0,
    latencyMsSum: 0,
    throughputSum: 0,
    throughputCount: 0,
    ...fields,
  };
}

describe("dashboard figures", () => {
  // 02:00 UTC on 21 November: "today" is the UTC day, whatever the viewer's clock says.
  const now = new Date("2026-11-21T02:00:00Z");

  it("reads 30 UTC days back from today", () => {
    expect(dashboardWindowStart(now).toISOString()).toBe("2026-10-23T00:00:00.000Z");
  });

  it("splits spend into today, 7 days and 30 days, exactly", () => {
    const rows = [
      row("2026-11-21T00:00:00Z", "m/a", 1n), // today
      row("2026-11-20T00:00:00Z", "m/a", 20n), // yesterday
      row("2026-11-15T00:00:00Z", "m/b", 300n), // 6 days ago: inside 7 days
      row("2026-11-14T00:00:00Z", "m/c", 4_000n, { errors: 1 }), // 7 days ago: outside
      row("2026-10-23T00:00:00Z", "m/c", 50_000n), // the first of the 30 days
      row("2026-10-22T00:00:00Z", "m/c", 600_000n), // before the window
    ];
    const figures = prepareDashboardFigures(rows, now);
    expect(figures.timeZone).toBe("UTC");
    expect(figures.spend).toEqual({ todayUsd: "0.000000001", last7DaysUsd: "0.000000321", last30DaysUsd: "0.000054321" });
    expect(figures.requests).toBe(5);
    expect(figures.errors).toBe(1);
    expect(figures.errorRate).toBeCloseTo(1 / 5);
    expect(figures.dailyCost.points).toHaveLength(30);
    expect(figures.dailyCost.points[29]).toEqual({ t: Date.parse("2026-11-21T00:00:00Z"), cost: 1 });
    expect(figures.dailyCost.points[0]).toEqual({ t: Date.parse("2026-10-23T00:00:00Z"), cost: 50_000 });
    expect(figures.topModels.map((m) => [m.model, m.costUsd])).toEqual([
      ["m/c", "0.000054"],
      ["m/b", "0.0000003"],
      ["m/a", "0.000000021"],
    ]);
    expect(figures.topModels[0].share).toBeCloseTo(54_000 / 54_321);
  });

  it("says nothing happened when nothing did", () => {
    const figures = prepareDashboardFigures([], now);
    expect(figures.spend.todayUsd).toBe("0.00");
    expect(figures.errorRate).toBeNull();
    expect(figures.topModels).toEqual([]);
    expect(figures.dailyCost.series).toEqual([]);
    expect(figures.dailyCost.points.every((p) => p.cost === 0)).toBe(true);
  });
});
