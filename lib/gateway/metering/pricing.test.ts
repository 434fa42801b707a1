import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Price, Pricings } from "./price-schema.ts";
import {
  computeCost,
  estimateMaxCost,
  exactPrice,
  promptTokensForTier,
  selectPrice,
  usageFromAnthropic,
  usageFromOpenAi,
  type MeteredUsage,
} from "./pricing.ts";

const flat = (value: number, unit: Price["unit"] = "perMTokens"): Price[] => [{ value, unit, currency: "USD" }];
const tiered = (below200k: number, from200k: number): Price[] => [
  { value: below200k, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 0, lt: 200 } } },
  { value: from200k, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 200 } } },
];
const usage = (partial: Partial<MeteredUsage>): MeteredUsage => ({
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  ...partial,
});
const byItem = (lines: { feeItem: string; quantity: number; costNanoUsd: bigint; unitPriceUsd: string }[]) =>
  Object.fromEntries(lines.map((l) => [l.feeItem, [l.quantity, l.costNanoUsd, l.unitPriceUsd]]));

/** Claude Sonnet 4.5 as ZenMux lists it (reference/zenmux-docs/api/openai/openai-list-models.md). */
const sonnet45: Pricings = {
  prompt: tiered(3, 6),
  completion: tiered(15, 22.5),
  input_cache_read: tiered(0.3, 0.6),
  input_cache_write_5_min: tiered(3.75, 7.5),
  input_cache_write_1_h: tiered(6, 12),
  web_search: flat(0.01, "perCount"),
};

describe("computeCost golden numbers", () => {
  it("flat prices: 1,000 prompt + 500 completion at $3/$15 per M = $0.0105", () => {
    const cost = computeCost({ prompt: flat(3), completion: flat(15) }, usage({ inputTokens: 1000, outputTokens: 500 }));
    expect(cost.lines).toEqual([
      { feeItem: "prompt", quantity: 1000, unitPriceUsd: "3", unit: "perMTokens", costNanoUsd: 3_000_000n },
      { feeItem: "completion", quantity: 500, unitPriceUsd: "15", unit: "perMTokens", costNanoUsd: 7_500_000n },
    ]);
    expect(cost.totalNanoUsd).toBe(10_500_000n);
    expect(cost.tierPromptTokens).toBe(1000);
  });

  it("OpenAI usage with cached tokens bills the cached part at the cache-read price", () => {
    const metered = usageFromOpenAi({ prompt_tokens: 10_000, completion_tokens: 1000, prompt_tokens_details: { cached_tokens: 4000 } });
    expect(metered).toEqual(usage({ inputTokens: 6000, cacheReadTokens: 4000, outputTokens: 1000 }));
    const cost = computeCost({ prompt: flat(2.5), completion: flat(10), input_cache_read: flat(1.25) }, metered);
    expect(byItem(cost.lines)).toEqual({
      prompt: [6000, 15_000_000n, "2.5"],
      input_cache_read: [4000, 5_000_000n, "1.25"],
      completion: [1000, 10_000_000n, "10"],
    });
    expect(cost.totalNanoUsd).toBe(30_000_000n);
    expect(cost.tierPromptTokens).toBe(10_000);
  });

  it("Anthropic usage with cache reads and 5m / 1h writes, below 200K (Claude Sonnet 4.5)", () => {
    const metered = usageFromAnthropic({
      input_tokens: 1000,
      output_tokens: 2000,
      cache_read_input_tokens: 50_000,
      cache_creation_input_tokens: 10_000,
      cache_creation: { ephemeral_5m_input_tokens: 6000, ephemeral_1h_input_tokens: 4000 },
    });
    expect(metered).toEqual(usage({ inputTokens: 1000, cacheReadTokens: 50_000, cacheWriteTokens: 6000, cacheWrite1hTokens: 4000, outputTokens: 2000 }));
    const cost = computeCost(sonnet45, metered);
    expect(cost.tierPromptTokens).toBe(61_000);
    expect(byItem(cost.lines)).toEqual({
      prompt: [1000, 3_000_000n, "3"],
      input_cache_read: [50_000, 15_000_000n, "0.3"],
      input_cache_write_5_min: [6000, 22_500_000n, "3.75"],
      input_cache_write_1_h: [4000, 24_000_000n, "6"],
      completion: [2000, 30_000_000n, "15"],
    });
    expect(cost.lines.map((l) => l.feeItem)).not.toContain("web_search");
    expect(cost.totalNanoUsd).toBe(94_500_000n);
  });

  it("Anthropic usage above 200K uses the >200K tier for every item (Claude Sonnet 4.5)", () => {
    const metered = usageFromAnthropic({
      input_tokens: 10_000,
      output_tokens: 1000,
      cache_read_input_tokens: 180_000,
      cache_creation_input_tokens: 20_000,
      cache_creation: { ephemeral_5m_input_tokens: 15_000, ephemeral_1h_input_tokens: 5000 },
      server_tool_use: { web_search_requests: 2 },
    });
    const cost = computeCost(sonnet45, metered);
    expect(cost.tierPromptTokens).toBe(210_000);
    expect(byItem(cost.lines)).toEqual({
      prompt: [10_000, 60_000_000n, "6"],
      input_cache_read: [180_000, 108_000_000n, "0.6"],
      input_cache_write_5_min: [15_000, 112_500_000n, "7.5"],
      input_cache_write_1_h: [5000, 60_000_000n, "12"],
      completion: [1000, 22_500_000n, "22.5"],
      web_search: [2, 20_000_000n, "0.01"],
    });
    expect(cost.lines.find((l) => l.feeItem === "web_search")?.unit).toBe("perCount");
    expect(cost.totalNanoUsd).toBe(383_000_000n);
  });

  it("the 200K tier starts at exactly 200,000 prompt tokens (gte 200 kTokens)", () => {
    const at = computeCost(sonnet45, usage({ inputTokens: 200_000 }));
    expect(at.lines).toEqual([{ feeItem: "prompt", quantity: 200_000, unitPriceUsd: "6", unit: "perMTokens", costNanoUsd: 1_200_000_000n }]);
    const below = computeCost(sonnet45, usage({ inputTokens: 199_999 }));
    expect(below.lines[0]).toMatchObject({ unitPriceUsd: "3", costNanoUsd: 599_997_000n });
  });

  it("the tier is chosen by the total prompt including cache reads and writes", () => {
    const cost = computeCost(sonnet45, usage({ inputTokens: 1000, cacheReadTokens: 199_000, outputTokens: 100 }));
    expect(cost.tierPromptTokens).toBe(200_000);
    expect(byItem(cost.lines)).toEqual({
      prompt: [1000, 6_000_000n, "6"],
      input_cache_read: [199_000, 119_400_000n, "0.6"],
      completion: [100, 2_250_000n, "22.5"],
    });
    const writes = computeCost(sonnet45, usage({ inputTokens: 100, cacheWriteTokens: 150_000, cacheWrite1hTokens: 49_900 }));
    expect(writes.tierPromptTokens).toBe(200_000);
    expect(writes.lines[0]).toMatchObject({ feeItem: "prompt", unitPriceUsd: "6", costNanoUsd: 600_000n });
  });

  it("a missing cache-read price falls back to the prompt price", () => {
    const metered = usageFromOpenAi({ prompt_tokens: 1000, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 400 } });
    const cost = computeCost({ prompt: flat(2), completion: flat(8) }, metered);
    expect(byItem(cost.lines)).toEqual({
      prompt: [600, 1_200_000n, "2"],
      input_cache_read: [400, 800_000n, "2"],
      completion: [10, 80_000n, "8"],
    });
  });

  it("cache writes fall back 5m/1h → input_cache_write → prompt", () => {
    const metered = usage({ cacheWriteTokens: 1000, cacheWrite1hTokens: 2000 });
    const generic = computeCost({ prompt: flat(1), completion: flat(2), input_cache_write: flat(1.25) }, metered);
    expect(byItem(generic.lines)).toEqual({
      input_cache_write: [1000, 1_250_000n, "1.25"],
      input_cache_write_1_h: [2000, 2_500_000n, "1.25"],
    });
    const none = computeCost({ prompt: flat(1), completion: flat(2) }, metered);
    expect(byItem(none.lines)).toEqual({
      input_cache_write: [1000, 1_000_000n, "1"],
      input_cache_write_1_h: [2000, 2_000_000n, "1"],
    });
  });

  it("splits reasoning off the completion only when there is an internal_reasoning price", () => {
    const metered = usageFromOpenAi({ prompt_tokens: 0, completion_tokens: 1000, completion_tokens_details: { reasoning_tokens: 300 } });
    expect(metered).toMatchObject({ outputTokens: 1000, reasoningTokens: 300 });
    const split = computeCost({ prompt: flat(1), completion: flat(10), internal_reasoning: flat(5) }, metered);
    expect(byItem(split.lines)).toEqual({ completion: [700, 7_000_000n, "10"], internal_reasoning: [300, 1_500_000n, "5"] });
    const whole = computeCost({ prompt: flat(1), completion: flat(10) }, metered);
    expect(byItem(whole.lines)).toEqual({ completion: [1000, 10_000_000n, "10"] });
    // More reasoning than output (a confused upstream) never bills more tokens than the output.
    const clamped = computeCost({ prompt: flat(1), completion: flat(10), internal_reasoning: flat(5) }, usage({ outputTokens: 10, reasoningTokens: 50 }));
    expect(byItem(clamped.lines)).toEqual({ internal_reasoning: [10, 50_000n, "5"] });
  });

  it("bills perCount request and web_search items", () => {
    const pricings: Pricings = { prompt: flat(1), completion: flat(1), request: flat(0.001, "perCount"), web_search: flat(0.01, "perCount") };
    const one = computeCost(pricings, usage({ inputTokens: 1000 }));
    expect(byItem(one.lines)).toEqual({ prompt: [1000, 1_000_000n, "1"], request: [1, 1_000_000n, "0.001"] });
    expect(one.totalNanoUsd).toBe(2_000_000n);
    const more = computeCost(pricings, usage({ requests: 3, webSearches: 2 }));
    expect(byItem(more.lines)).toEqual({ request: [3, 3_000_000n, "0.001"], web_search: [2, 20_000_000n, "0.01"] });
    expect(computeCost(pricings, usage({ requests: 0 })).lines).toEqual([]);
  });

  it("ignores items it does not meter yet and prices in units an item cannot use", () => {
    const pricings: Pricings = { prompt: flat(1), completion: flat(1), image: flat(0.04, "perCount"), audio: flat(0.1, "perSecond") };
    expect(computeCost(pricings, usage({ inputTokens: 10 })).lines.map((l) => l.feeItem)).toEqual(["prompt"]);
    expect(computeCost({ prompt: flat(1, "perSecond"), completion: flat(1) }, usage({ inputTokens: 10 })).lines).toEqual([]);
  });

  it("omits zero-quantity lines but keeps zero-priced ones", () => {
    const cost = computeCost({ prompt: flat(0), completion: flat(4) }, usage({ inputTokens: 5 }));
    expect(cost.lines).toEqual([{ feeItem: "prompt", quantity: 5, unitPriceUsd: "0", unit: "perMTokens", costNanoUsd: 0n }]);
    expect(computeCost(sonnet45, usage({})).totalNanoUsd).toBe(0n);
  });
});

describe("rounding", () => {
  it("rounds each line half up to a whole nano-USD", () => {
    const at = (value: number, tokens: number) => computeCost({ prompt: flat(value), completion: flat(value) }, usage({ inputTokens: tokens })).totalNanoUsd;
    expect(at(0.0005, 1)).toBe(1n); // 0.5 nano → 1
    expect(at(0.0004, 1)).toBe(0n); // 0.4 nano → 0
    expect(at(0.0005, 3)).toBe(2n); // 1.5 → 2
    expect(at(0.0004999, 1)).toBe(0n);
    expect(at(0.0006, 1)).toBe(1n);
  });

  it("rounds per line, not on the total", () => {
    const cost = computeCost({ prompt: flat(0.0005), completion: flat(0.0005) }, usage({ inputTokens: 1, outputTokens: 1 }));
    expect(cost.lines.map((l) => l.costNanoUsd)).toEqual([1n, 1n]);
    expect(cost.totalNanoUsd).toBe(2n);
  });

  it("reads prices exactly through their shortest string, exponent forms included", () => {
    expect(exactPrice(0.075)).toEqual({ text: "0.075", numerator: 75_000_000n, denominator: 1n });
    expect(exactPrice(3.75).numerator).toBe(3_750_000_000n);
    expect(exactPrice(1e-7)).toEqual({ text: "0.0000001", numerator: 100n, denominator: 1n });
    expect(exactPrice(2.5e-8).text).toBe("0.000000025");
    expect(exactPrice(1.5e-10).text).toBe("0.00000000015");
    expect(exactPrice(1e21).text).toBe("1000000000000000000000");
    expect(exactPrice(0.1 + 0.2).text).toBe("0.30000000000000004");
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(exactPrice(bad)).toEqual({ text: "0", numerator: 0n, denominator: 1n });
  });

  it("bills exponent-form and sub-nano prices exactly", () => {
    const tiny = computeCost({ prompt: flat(1e-7), completion: flat(1e21) }, usage({ inputTokens: 10_000, outputTokens: 1 }));
    expect(byItem(tiny.lines)).toEqual({
      prompt: [10_000, 1n, "0.0000001"], // 100 nano per M × 10,000 tokens = 1 nano
      completion: [1, 10n ** 24n, "1000000000000000000000"],
    });
    // 1.5e-10 USD per M tokens = 0.15 nano per M (finer than parseUsdToNano): 10 M tokens = 1.5 nano → 2.
    const subNano = computeCost({ prompt: flat(1.5e-10), completion: flat(1) }, usage({ inputTokens: 10_000_000 }));
    expect(subNano.lines[0]).toMatchObject({ unitPriceUsd: "0.00000000015", costNanoUsd: 2n });
    // A float artefact is billed as published, not "cleaned up": 0.30000000000000004 USD/M × 1e6.
    expect(computeCost({ prompt: flat(0.1 + 0.2), completion: flat(1) }, usage({ inputTokens: 1_000_000 })).totalNanoUsd).toBe(300_000_000n);
  });
});

describe("tier selection", () => {
  it("selects by prompt_tokens in kTokens with gte/gt/lte/lt", () => {
    const prices: Price[] = [
      { value: 1, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 0, lte: 32 } } },
      { value: 2, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gt: 32, lt: 128 } } },
      { value: 3, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 128, lt: null } } },
    ];
    expect(selectPrice(prices, 0)?.value).toBe(1);
    expect(selectPrice(prices, 32_000)?.value).toBe(1);
    expect(selectPrice(prices, 32_001)?.value).toBe(2);
    expect(selectPrice(prices, 127_999)?.value).toBe(2);
    expect(selectPrice(prices, 128_000)?.value).toBe(3);
    expect(selectPrice(prices, 10_000_000)?.value).toBe(3);
  });

  it("matches completion_tokens when given, a price without conditions always, and nothing without prices", () => {
    const prices: Price[] = [
      {
        value: 1,
        unit: "perMTokens",
        currency: "USD",
        conditions: { prompt_tokens: { unit: "kTokens", gte: 0 }, completion_tokens: { unit: "kTokens", gte: 0, lt: 16 } },
      },
      { value: 2, unit: "perMTokens", currency: "USD", conditions: { completion_tokens: { unit: "kTokens", gte: 16 } } },
    ];
    expect(selectPrice(prices, 5, 15_999)?.value).toBe(1);
    expect(selectPrice(prices, 5, 16_000)?.value).toBe(2);
    expect(selectPrice(prices, 5)?.value).toBe(1);
    expect(selectPrice(flat(7), 1e12, 1e12)?.value).toBe(7);
    expect(selectPrice(undefined, 10)).toBeNull();
    expect(selectPrice([], 10)).toBeNull();
    const gap: Price[] = [{ value: 1, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 100 } } }];
    expect(selectPrice(gap, 99_999)).toBeNull();
  });

  it("computeCost bills completion by its completion_tokens tier", () => {
    const completion: Price[] = [
      { value: 10, unit: "perMTokens", currency: "USD", conditions: { completion_tokens: { unit: "kTokens", lt: 1 } } },
      { value: 20, unit: "perMTokens", currency: "USD", conditions: { completion_tokens: { unit: "kTokens", gte: 1 } } },
    ];
    expect(computeCost({ prompt: flat(1), completion }, usage({ outputTokens: 999 })).totalNanoUsd).toBe(9_990_000n);
    expect(computeCost({ prompt: flat(1), completion }, usage({ outputTokens: 1000 })).totalNanoUsd).toBe(20_000_000n);
  });

  it("promptTokensForTier adds input, cache reads and both cache writes", () => {
    expect(promptTokensForTier(usage({ inputTokens: 1, cacheReadTokens: 20, cacheWriteTokens: 300, cacheWrite1hTokens: 4000, outputTokens: 99 }))).toBe(4321);
  });
});

describe("usage from upstreams", () => {
  it("never throws on junk and treats negative / NaN / fractional counts as 0 / floored", () => {
    expect(usageFromOpenAi({})).toEqual(usage({}));
    expect(usageFromOpenAi({ prompt_tokens: 10, prompt_tokens_details: null, completion_tokens_details: null })).toEqual(usage({ inputTokens: 10 }));
    expect(usageFromOpenAi({ prompt_tokens: 100, prompt_tokens_details: { cached_tokens: 150 } })).toMatchObject({ inputTokens: 0, cacheReadTokens: 150 });
    expect(usageFromOpenAi({ prompt_tokens: -5, completion_tokens: Number.NaN, completion_tokens_details: { reasoning_tokens: 2.9 } })).toEqual(
      usage({ reasoningTokens: 2 }),
    );
    expect(usageFromAnthropic({})).toEqual(usage({}));
    expect(
      usageFromAnthropic({ input_tokens: 12.7, output_tokens: -1, cache_read_input_tokens: null, cache_creation_input_tokens: null, cache_creation: null }),
    ).toEqual(usage({ inputTokens: 12 }));
    const cost = computeCost(
      sonnet45,
      usage({ inputTokens: -100, cacheReadTokens: Number.NaN, outputTokens: Number.POSITIVE_INFINITY, requests: -1, webSearches: 1.5 }),
    );
    expect(byItem(cost.lines)).toEqual({ web_search: [1, 10_000_000n, "0.01"] });
  });

  it("Anthropic cache writes without a breakdown are 5-minute writes", () => {
    expect(usageFromAnthropic({ input_tokens: 5, output_tokens: 7, cache_read_input_tokens: 11, cache_creation_input_tokens: 13 })).toEqual(
      usage({ inputTokens: 5, outputTokens: 7, cacheReadTokens: 11, cacheWriteTokens: 13 }),
    );
  });

  it("Anthropic breakdowns that do not add up still bill every creation token once", () => {
    const metered = usageFromAnthropic({ cache_creation_input_tokens: 500, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 200 } });
    expect(metered).toMatchObject({ cacheWriteTokens: 300, cacheWrite1hTokens: 200 });
    expect(usageFromAnthropic({ cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 60 } })).toMatchObject({
      cacheWriteTokens: 40,
      cacheWrite1hTokens: 60,
    });
  });
});

describe("estimateMaxCost", () => {
  it("prices the prompt at its tier and the max output at the completion price", () => {
    expect(estimateMaxCost(sonnet45, 100_000, 8192)).toBe(300_000_000n + 122_880_000n);
    expect(estimateMaxCost(sonnet45, 250_000, 8192)).toBe(1_500_000_000n + 184_320_000n);
    expect(estimateMaxCost({ prompt: flat(3), completion: flat(15) }, 1000, 500)).toBe(10_500_000n);
    expect(estimateMaxCost({ prompt: flat(3), completion: flat(15) }, -1, Number.NaN)).toBe(0n);
  });

  it("uses the dearer of completion and internal_reasoning, and adds the request fee", () => {
    expect(estimateMaxCost({ prompt: flat(1), completion: flat(10), internal_reasoning: flat(5) }, 0, 1000)).toBe(10_000_000n);
    expect(estimateMaxCost({ prompt: flat(1), completion: flat(10), internal_reasoning: flat(40) }, 0, 1000)).toBe(40_000_000n);
    expect(estimateMaxCost({ prompt: flat(1), completion: flat(10), request: flat(0.002, "perCount") }, 1000, 0)).toBe(3_000_000n);
  });
});

describe("properties", () => {
  const tokens = fc.integer({ min: 0, max: 5_000_000 });
  const anyUsage = fc.record({
    inputTokens: tokens,
    cacheReadTokens: tokens,
    cacheWriteTokens: tokens,
    cacheWrite1hTokens: tokens,
    outputTokens: tokens,
    reasoningTokens: tokens,
    requests: fc.integer({ min: 0, max: 10 }),
    webSearches: fc.integer({ min: 0, max: 10 }),
  });
  /** Non-negative published prices: decimals as people write them, and arbitrary doubles. */
  const priceValue = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 999_999 })).map(([w, f]) => Number(`${w}.${String(f).padStart(6, "0")}`)),
    fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((v) => Math.abs(v)),
  );
  const optionalFlat = fc.option(
    priceValue.map((v) => flat(v)),
    { nil: undefined },
  );
  const flatPricings = fc
    .record({
      prompt: priceValue,
      completion: priceValue,
      input_cache_read: optionalFlat,
      input_cache_write: optionalFlat,
      input_cache_write_5_min: optionalFlat,
      input_cache_write_1_h: optionalFlat,
      internal_reasoning: optionalFlat,
      request: fc.option(
        priceValue.map((v) => flat(v, "perCount")),
        { nil: undefined },
      ),
      web_search: fc.option(
        priceValue.map((v) => flat(v, "perCount")),
        { nil: undefined },
      ),
    })
    .map(({ prompt, completion, ...rest }): Pricings => {
      const pricings: Pricings = { prompt: flat(prompt), completion: flat(completion) };
      for (const [item, prices] of Object.entries(rest)) if (prices) pricings[item as keyof Pricings] = prices;
      return pricings;
    });
  /** Two tiers split at a random size whose upper prices are never lower: cost must stay monotone. */
  const ascendingTiers = fc
    .tuple(fc.integer({ min: 1, max: 500 }), fc.array(fc.tuple(priceValue, priceValue), { minLength: 6, maxLength: 6 }))
    .map(([split, pairs]): Pricings => {
      const items = ["prompt", "completion", "input_cache_read", "input_cache_write_5_min", "input_cache_write_1_h", "internal_reasoning"] as const;
      const pricings: Pricings = {};
      items.forEach((item, i) => {
        const [a, b] = pairs[i];
        pricings[item] = [
          { value: Math.min(a, b), unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 0, lt: split } } },
          { value: Math.max(a, b), unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: split } } },
        ];
      });
      return pricings;
    });
  const anyPricings = fc.oneof(flatPricings, ascendingTiers);

  it("total == sum of lines, never negative, every line non-zero in quantity", () => {
    fc.assert(
      fc.property(anyPricings, anyUsage, (pricings, u) => {
        const cost = computeCost(pricings, u);
        expect(cost.totalNanoUsd).toBe(cost.lines.reduce((s, l) => s + l.costNanoUsd, 0n));
        expect(cost.totalNanoUsd >= 0n).toBe(true);
        for (const l of cost.lines) {
          expect(l.quantity).toBeGreaterThan(0);
          expect(l.costNanoUsd >= 0n).toBe(true);
        }
        expect(cost.tierPromptTokens).toBe(promptTokensForTier(u));
      }),
    );
  });

  it("bills every token exactly once", () => {
    fc.assert(
      fc.property(flatPricings, anyUsage, (pricings, u) => {
        const lines = computeCost(pricings, u).lines;
        const tokenLines = lines.filter((l) => l.unit === "perMTokens");
        const billed = tokenLines.reduce((s, l) => s + l.quantity, 0);
        expect(billed).toBe(promptTokensForTier(u) + u.outputTokens);
      }),
    );
  });

  it("each line is within 0.5 nano-USD of the exact amount", () => {
    fc.assert(
      fc.property(flatPricings, anyUsage, (pricings, u) => {
        for (const l of computeCost(pricings, u).lines) {
          const p = exactPrice(Number(l.unitPriceUsd));
          expect(p.text).toBe(l.unitPriceUsd);
          const scale = l.unit === "perMTokens" ? 1_000_000n : 1n;
          const exactTimesDen = BigInt(l.quantity) * p.numerator; // exact cost × (denominator × scale)
          const den = p.denominator * scale;
          const diff = l.costNanoUsd * den - exactTimesDen;
          expect(2n * (diff < 0n ? -diff : diff) <= den).toBe(true);
          if (2n * diff === -den) throw new Error("a half must round up");
        }
      }),
    );
  });

  it("cost is monotone non-decreasing in each token count", () => {
    const fields = [
      "inputTokens",
      "cacheReadTokens",
      "cacheWriteTokens",
      "cacheWrite1hTokens",
      "outputTokens",
      "reasoningTokens",
      "requests",
      "webSearches",
    ] as const;
    fc.assert(
      fc.property(anyPricings, anyUsage, fc.constantFrom(...fields), fc.integer({ min: 1, max: 300_000 }), (pricings, u, field, extra) => {
        const base = { ...u, reasoningTokens: Math.min(u.reasoningTokens, u.outputTokens) };
        const more = { ...base, [field]: base[field] + extra };
        // Reasoning is part of the output: more reasoning means more output too.
        if (field === "reasoningTokens") more.outputTokens = base.outputTokens + extra;
        expect(computeCost(pricings, more).totalNanoUsd >= computeCost(pricings, base).totalNanoUsd).toBe(true);
      }),
    );
  });

  it("estimateMaxCost covers any usage with that prompt at the prompt price and at most that output", () => {
    fc.assert(
      fc.property(flatPricings, tokens, tokens, tokens, (pricings, prompt, maxOut, out) => {
        const used = Math.min(out, maxOut);
        const actual = computeCost(
          { ...pricings, request: undefined, web_search: undefined },
          usage({ inputTokens: prompt, outputTokens: used, reasoningTokens: Math.floor(used / 2) }),
        );
        // Actual usage may round two output lines (completion + reasoning) up where the estimate rounds one: 1 nano of slack.
        expect(estimateMaxCost({ ...pricings, request: undefined, web_search: undefined }, prompt, maxOut) + 1n >= actual.totalNanoUsd).toBe(true);
      }),
    );
  });
});
