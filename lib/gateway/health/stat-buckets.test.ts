import { describe, expect, it } from "vitest";
import { BUCKET_MS, StatBuckets } from "./stat-buckets";

const MIN = 60_000;

describe("StatBuckets", () => {
  it("sums the minute buckets overlapping each window: 5 minutes, an hour, a day", () => {
    let clock = Date.parse("2026-11-22T12:00:30Z");
    const buckets = new StatBuckets(25 * 3_600_000, () => clock);
    const at = (minutesAgo: number, ok: boolean, ttftMs?: number) => {
      const saved = clock;
      clock -= minutesAgo * MIN;
      buckets.record("e", { ok, ttftMs });
      clock = saved;
    };
    at(0, true, 100);
    at(3, false);
    at(30, true, 300);
    at(300, false);
    at(1500, true); // 25 h ago: outside the day
    expect(buckets.window("e", 5 * MIN)).toMatchObject({ requests: 2, failures: 1, successRate: 0.5 });
    expect(buckets.window("e", 60 * MIN)).toMatchObject({ requests: 3, failures: 1 });
    expect(buckets.window("e", 1440 * MIN)).toMatchObject({ requests: 4, failures: 2, successRate: 0.5 });
    expect(buckets.window("other", 60 * MIN)).toEqual({
      requests: 0,
      failures: 0,
      probes: 0,
      successRate: null,
      ttftP50Ms: null,
      ttftP90Ms: null,
      throughputP50: null,
    });
  });

  it("adds buckets other writers persisted, replacing a writer's bucket when it is reloaded", () => {
    const clock = Date.parse("2026-11-22T12:00:30Z");
    const buckets = new StatBuckets(25 * 3_600_000, () => clock);
    buckets.record("e", { ok: true, ttftMs: 100 });
    const start = Math.floor(clock / BUCKET_MS) * BUCKET_MS;
    const persisted = (requests: number, failures: number) => ({
      writer: "other-instance",
      endpointId: "e",
      start,
      requests,
      failures,
      probes: 0,
      probeFailures: 0,
      ttft: { "94": requests - failures },
      throughput: {},
    });
    buckets.putForeign([persisted(3, 1)]);
    expect(buckets.window("e", 5 * MIN)).toMatchObject({ requests: 4, failures: 1 });
    buckets.putForeign([persisted(5, 1)]); // the same writer's bucket, saved again with more traffic
    expect(buckets.window("e", 5 * MIN)).toMatchObject({ requests: 6, failures: 1 });
  });

  it("hands over each changed bucket once, as this writer's totals, and takes failed saves back", () => {
    const clock = Date.parse("2026-11-22T12:00:30Z");
    const buckets = new StatBuckets(25 * 3_600_000, () => clock);
    buckets.record("e", { ok: true, probe: true });
    buckets.record("e", { ok: false, probe: true });
    const first = buckets.takeDirty();
    expect(first).toMatchObject([{ endpointId: "e", requests: 2, failures: 1, probes: 2, probeFailures: 1 }]);
    expect(buckets.takeDirty()).toEqual([]);
    buckets.restoreDirty(first);
    expect(buckets.takeDirty()).toMatchObject([{ requests: 2 }]);
    buckets.record("e", { ok: true });
    expect(buckets.takeDirty()).toMatchObject([{ requests: 3 }]);
  });

  it("draws a series per step, oldest first, leaving out steps without traffic", () => {
    let clock = Date.parse("2026-11-22T12:00:00Z");
    const buckets = new StatBuckets(25 * 3_600_000, () => clock);
    buckets.record("e", { ok: true, ttftMs: 200 });
    clock += 2 * 3_600_000;
    buckets.record("e", { ok: false });
    buckets.record("e", { ok: true, ttftMs: 100 });
    const series = buckets.series("e", clock - 24 * 3_600_000, 3_600_000);
    expect(series.map((p) => [new Date(p.start).toISOString(), p.stats.requests, p.stats.successRate])).toEqual([
      ["2026-11-22T12:00:00.000Z", 1, 1],
      ["2026-11-22T14:00:00.000Z", 2, 0.5],
    ]);
  });

  it("adds several endpoints up: counts summed, percentiles from the merged histograms rather than averaged", () => {
    let clock = Date.parse("2026-11-22T12:00:30Z");
    const buckets = new StatBuckets(25 * 3_600_000, () => clock);
    for (let i = 0; i < 9; i++) buckets.record("a", { ok: true, ttftMs: 100 });
    buckets.record("a", { ok: false });
    buckets.record("b", { ok: true, ttftMs: 1000 });
    buckets.record("b", { ok: false });
    buckets.record("c", { ok: true, ttftMs: 5000 }); // not one of the set
    const both = buckets.windowOf(["a", "b"], 5 * MIN);
    expect(both).toMatchObject({ requests: 12, failures: 2 });
    expect(both.successRate).toBeCloseTo(10 / 12, 10);
    // Ten TTFTs, nine of them 100 ms: the median is ~100 ms (averaging the two medians would say ~550).
    expect(both.ttftP50Ms).toBeGreaterThan(97);
    expect(both.ttftP50Ms).toBeLessThan(103);
    expect(both.ttftP90Ms).toBeLessThan(103);
    expect(buckets.windowOf(["a", "a"], 5 * MIN).requests).toBe(10);
    expect(buckets.windowOf([], 5 * MIN)).toMatchObject({ requests: 0, successRate: null, ttftP50Ms: null });

    clock += 3_600_000;
    buckets.record("b", { ok: true, ttftMs: 200 });
    const series = buckets.seriesOf(["a", "b"], clock - 24 * 3_600_000, 3_600_000);
    expect(series.map((p) => [new Date(p.start).toISOString(), p.stats.requests, p.stats.failures])).toEqual([
      ["2026-11-22T12:00:00.000Z", 12, 2],
      ["2026-11-22T13:00:00.000Z", 1, 0],
    ]);
  });
});
