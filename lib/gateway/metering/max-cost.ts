/**
 * The most a call can cost when its prompt is at most `promptTokens` and its output at
 * most `outputTokens`, whatever the upstream reports: the figure a pre-authorisation
 * hold needs. Pure; money in BigInt nano-USD.
 *
 * computeCost(usage) is not monotone in the usage: a smaller prompt can fall in a tier
 * with a dearer price, prompt tokens may be billed as cache writes (dearer than the
 * prompt price), and output may be billed as reasoning at its own price. So the bound is
 * the largest cost over the corners that matter: each tier's last token count up to the
 * bound (prompt and completion conditions), every prompt token billed in each prompt
 * bucket, and the output billed as all completion or all reasoning.
 */
import { tierBounds, type Pricings } from "./price-schema.ts";
import { computeCost, type MeteredUsage } from "./pricing.ts";

/** `bound` and the last token count of every tier that ends below it. */
function cornersBelow(bound: number, ends: number[]): number[] {
  const corners = new Set([bound]);
  for (const end of ends) if (end - 1 < bound && end - 1 >= 0) corners.add(end - 1);
  return [...corners];
}

function tierEnds(pricings: Pricings, condition: "prompt_tokens" | "completion_tokens"): number[] {
  const ends: number[] = [];
  for (const prices of Object.values(pricings)) {
    for (const price of prices ?? []) {
      const { to } = tierBounds(price.conditions?.[condition]);
      if (Number.isFinite(to)) ends.push(to);
    }
  }
  return ends;
}

function roundingSlack(pricings: Pricings): bigint {
  let lines = 0n;
  for (const prices of Object.values(pricings)) if (prices?.some((price) => price.unit === "perMTokens" && price.value > 0)) lines += 1n;
  return lines;
}

const PROMPT_BUCKETS = ["inputTokens", "cacheWriteTokens", "cacheWrite1hTokens"] as const;

export function maxCostBound(pricings: Pricings, promptTokens: number, outputTokens: number): bigint {
  const prompt = Math.max(0, Math.floor(promptTokens));
  const output = Math.max(0, Math.floor(outputTokens));
  let max = 0n;
  for (const p of cornersBelow(prompt, tierEnds(pricings, "prompt_tokens"))) {
    for (const o of cornersBelow(output, tierEnds(pricings, "completion_tokens"))) {
      for (const bucket of PROMPT_BUCKETS) {
        for (const reasoning of [0, o]) {
          const usage: MeteredUsage = {
            inputTokens: 0,
            cacheReadTokens: 0,
            cacheWriteTokens: 0,
            cacheWrite1hTokens: 0,
            outputTokens: o,
            reasoningTokens: reasoning,
          };
          usage[bucket] = p;
          const cost = computeCost(pricings, usage).totalNanoUsd;
          if (cost > max) max = cost;
        }
      }
    }
  }
  // Real usage may split its tokens into more lines than a corner, each rounded half up:
  // half a nano-USD per priced token line at most (a request fee is exact).
  return max + roundingSlack(pricings);
}
