import { describe, expect, it } from "vitest";
import { providerCharts } from "./provider-series";

const H = 3_600_000;
const stats = (requests: number, failures: number, ttft: number | null) => ({
  requests,
  failures,
  probes: 0,
  successRate: requests ? (requests - failures) / requests : null,
  ttftP50Ms: ttft,
  ttftP90Ms: ttft,
  throughputP50: ttft === null ? null : 42.04,
});

describe("providerCharts", () => {
  it("lays each provider's hourly points on one time axis, leaving gaps where there was no traffic", () => {
    const since = Date.parse("2026-11-22T00:00:00Z");
    const charts = providerCharts(
      [
        {
          provider: "fast",
          points: [
            { start: since, stats: stats(4, 1, 101.4) },
            { start: since + 2 * H, stats: stats(2, 0, 99.6) },
          ],
        },
        { provider: "slow", points: [{ start: since + H, stats: stats(1, 0, 400) }] },
        { provider: "idle", points: [] },
      ],
      since,
      H,
      since + 2 * H,
    );
    expect(charts.providers).toEqual(["fast", "slow"]);
    expect(charts.ttft).toEqual([
      { time: since, fast: 101, slow: null },
      { time: since + H, fast: null, slow: 400 },
      { time: since + 2 * H, fast: 100, slow: null },
    ]);
    expect(charts.availability[0]).toEqual({ time: since, fast: 75, slow: null });
    expect(charts.throughput[1]).toEqual({ time: since + H, fast: null, slow: 42 });
  });
});
