/**
 * From what an upstream reported (or, when it reported nothing, what was counted from
 * the stream) to tokens, cost and the generation record's numbers.
 */
import { computeCost, type CostBreakdown, type MeteredUsage } from "./pricing.ts";
import type { Pricings } from "./price-schema.ts";
import type { UpstreamTally } from "../upstream/upstream-tally.ts";

export type Metering = {
  usage: MeteredUsage;
  /** true when counted from the stream because the upstream sent no usage */
  estimated: boolean;
  cost: CostBreakdown;
  /** OpenAI-style totals for the record: prompt includes cache reads and writes */
  promptTokens: number;
  completionTokens: number;
};

/** Output tokens the relayed text stands for: ~4 characters a token. */
export const estimateOutputTokens = (producedChars: number): number => Math.ceil(producedChars / 4);

/**
 * The usage to bill. With the upstream's closing usage, exactly that. A stream that
 * ended without it (cut, abandoned, broken) is billed for what was produced: the larger
 * of what the upstream reported so far (Anthropic's message_start says output 1) and the
 * estimate from the text it relayed; the prompt falls back to the request's estimate.
 */
export function meter(pricings: Pricings, tally: UpstreamTally, estimatedPromptTokens: number): Metering {
  const estimatedOutput = estimateOutputTokens(tally.producedChars);
  const reported = tally.usage;
  const usage: MeteredUsage = reported
    ? { ...reported }
    : { inputTokens: estimatedPromptTokens, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0, reasoningTokens: 0 };
  const outputEstimated = !tally.usageFinal && estimatedOutput > usage.outputTokens;
  if (outputEstimated) usage.outputTokens = estimatedOutput;
  return {
    usage,
    estimated: !reported || outputEstimated,
    cost: computeCost(pricings, usage),
    promptTokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.cacheWrite1hTokens,
    completionTokens: usage.outputTokens,
  };
}

/** The cost breakdown as Generation.costBreakdown stores it (lib/activity/generation-record.ts). */
export function costBreakdownJson(cost: CostBreakdown): string {
  return JSON.stringify(
    cost.lines.map((line) => ({
      feeItem: line.feeItem,
      quantity: line.quantity,
      unitPriceUsd: line.unitPriceUsd,
      unit: line.unit,
      costNanoUsd: line.costNanoUsd.toString(),
    })),
  );
}

/** Output tokens per second while generating (after the first token). */
export function throughputOf(outputTokens: number, firstTokenAt: number | null, endedAt: number): number | null {
  if (firstTokenAt === null || outputTokens <= 0) return null;
  const seconds = (endedAt - firstTokenAt) / 1000;
  return seconds > 0 ? Math.round((outputTokens / seconds) * 10) / 10 : null;
}
