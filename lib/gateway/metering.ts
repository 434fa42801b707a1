/**
 * From what an upstream reported (or, when it reported nothing, what the relay
 * counted) to tokens, cost and the generation record's numbers.
 */
import { computeCost, usageFromOpenAi, type CostBreakdown, type MeteredUsage } from "../billing/pricing.ts";
import type { Pricings } from "../catalog/catalog-schema.ts";
import type { OpenAiUsage } from "./protocols/openai-chat/stream-relay.ts";

export type Metering = {
  usage: MeteredUsage;
  /** true when counted from the stream because the upstream sent no usage */
  estimated: boolean;
  cost: CostBreakdown;
  /** OpenAI-style totals for the record: prompt includes cache reads and writes */
  promptTokens: number;
  completionTokens: number;
};

export function meterOpenAi(pricings: Pricings, reported: OpenAiUsage | null, fallback: { promptTokens: number; producedChars: number }): Metering {
  const usage: MeteredUsage = reported
    ? usageFromOpenAi(reported)
    : { inputTokens: fallback.promptTokens, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: Math.ceil(fallback.producedChars / 4), reasoningTokens: 0 };
  const cost = computeCost(pricings, usage);
  return {
    usage,
    estimated: !reported,
    cost,
    promptTokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.cacheWrite1hTokens,
    completionTokens: usage.outputTokens,
  };
}

/** The cost breakdown as Generation.costBreakdown stores it (lib/activity/generation-record.ts). */
export function costBreakdownJson(cost: CostBreakdown): string {
  return JSON.stringify(cost.lines.map((line) => ({ feeItem: line.feeItem, quantity: line.quantity, unitPriceUsd: line.unitPriceUsd, costNanoUsd: line.costNanoUsd.toString() })));
}

/** Output tokens per second while generating (after the first token). */
export function throughputOf(outputTokens: number, firstTokenAt: number | null, endedAt: number): number | null {
  if (firstTokenAt === null || outputTokens <= 0) return null;
  const seconds = (endedAt - firstTokenAt) / 1000;
  return seconds > 0 ? Math.round((outputTokens / seconds) * 10) / 10 : null;
}
