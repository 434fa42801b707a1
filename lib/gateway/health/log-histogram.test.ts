import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentile } from "./endpoint-health";
import { addToHistogram, histogramCount, histogramPercentile, mergeHistograms, type LogHistogram } from "./log-histogram";

describe("log histogram", () => {
  it("reports nothing for no samples", () => {
    expect(histogramPercentile({}, 50)).toBeNull();
  });

  it("agrees with the exact nearest-rank percentile within 2.5%", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 600_000, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.constantFrom(50, 90, 99), (values, p) => {
        const histogram: LogHistogram = {};
        for (const v of values) addToHistogram(histogram, v);
        const exact = percentile(values, p)!;
        const approx = histogramPercentile(histogram, p)!;
        expect(Math.abs(approx - exact) / exact).toBeLessThanOrEqual(0.026);
      }),
    );
  });

  it("merges by adding counts, so split samples give the same percentiles as one set", () => {
    const a: LogHistogram = {};
    const b: LogHistogram = {};
    const all: LogHistogram = {};
    [120, 130, 900].forEach((v) => (addToHistogram(a, v), addToHistogram(all, v)));
    [80, 4000].forEach((v) => (addToHistogram(b, v), addToHistogram(all, v)));
    const merged = mergeHistograms({ ...a }, b);
    expect(merged).toEqual(all);
    expect(histogramCount(merged)).toBe(5);
    expect(histogramPercentile(merged, 50)).toBe(histogramPercentile(all, 50));
  });
});
