import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Price, Pricings } from "./price-schema.ts";
import { maxCostBound } from "./max-cost.ts";
import { computeCost, estimateMaxCost, type MeteredUsage } from "./pricing.ts";

const flat = (value: number): Price[] => [{ value, unit: "perMTokens", currency: "USD" }];
const tier = (value: number, gte: number, lt?: number): Price => ({
  value,
  unit: "perMTokens",
  currency: "USD",
  conditions: { prompt_tokens: { unit: "kTokens", gte, ...(lt !== undefined ? { lt } : {}) } },
});
const price = fc.integer({ min: 0, max: 40_000 }).map((n) => n / 1000);
/** Tiers split at 32k prompt tokens, in any order of price: a dearer small tier included. */
const tiered = fc.tuple(price, price).map(([low, high]): Price[] => [tier(low, 0, 32), tier(high, 32)]);
const anyPrices = fc.oneof(price.map(flat), tiered);
const pricings = fc.record({
  prompt: anyPrices,
  completion: anyPrices,
  input_cache_write_1_h: fc.option(price.map(flat), { nil: undefined }),
  internal_reasoning: fc.option(price.map(flat), { nil: undefined }),
}) as fc.Arbitrary<Pricings>;

describe("maxCostBound", () => {
  it("covers every usage whose prompt and output stay within the bounds, whatever the buckets, tiers and reasoning", () => {
    fc.assert(
      fc.property(
        pricings,
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (p, promptBound, outputBound, [a, b, c, d, e, f]) => {
          const prompt = Math.floor(promptBound * a);
          const output = Math.floor(outputBound * b);
          const write1h = Math.floor(prompt * c);
          const write = Math.floor((prompt - write1h) * d);
          const read = Math.floor((prompt - write1h - write) * e);
          const usage: MeteredUsage = {
            inputTokens: prompt - write1h - write - read,
            cacheReadTokens: read,
            cacheWriteTokens: write,
            cacheWrite1hTokens: write1h,
            outputTokens: output,
            reasoningTokens: Math.floor(output * f),
          };
          expect(maxCostBound(p, promptBound, outputBound) >= computeCost(p, usage).totalNanoUsd).toBe(true);
        },
      ),
    );
  });

  it("holds for a smaller prompt in a dearer tier, which the old estimate missed", () => {
    const p: Pricings = { prompt: [tier(10, 0, 32), tier(1, 32)], completion: flat(0) };
    const actual = computeCost(p, {
      inputTokens: 31_999,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
    }).totalNanoUsd;
    expect(estimateMaxCost(p, 40_000, 0) < actual).toBe(true);
    expect(maxCostBound(p, 40_000, 0) >= actual).toBe(true);
  });

  it("is exact for a flat per-request fee (no rounding slack where nothing is rounded)", () => {
    const p: Pricings = { prompt: flat(0), completion: flat(0), request: [{ value: 0.01, unit: "perCount", currency: "USD" }] };
    expect(maxCostBound(p, 5000, 5000)).toBe(10_000_000n);
  });

  it("prices the prompt as 1-hour cache writes when those are dearer", () => {
    const p: Pricings = { prompt: flat(3), completion: flat(15), input_cache_write_1_h: flat(6) };
    expect(maxCostBound(p, 1_000_000, 0)).toBe(6_000_000_000n + 3n);
  });
});
