/**
 * Usage rollup rows and their sums (pure): the row shape the queries return, per-field
 * sums with exact money, and breakdowns by a dimension. The chart preparers
 * (usage-charts.ts) and the dashboard (dashboard-figures.ts) build on these.
 */
import { formatNanoUsd } from "../gateway/metering/money.ts";

/**
 * Rollup sums for one period (a UTC hour or a UTC day) and one value of a dimension,
 * summed over accounts; the query fills the dimensions it did not group by with "".
 */
export type UsageRow = {
  /** the period's start */
  start: Date;
  apiKeyId: string;
  modelSlug: string;
  providerSlug: string;
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costNanoUsd: bigint;
  ttftMsSum: number;
  ttftCount: number;
  latencyMsSum: number;
  throughputSum: number;
  throughputCount: number;
};

export type UsageFigures = {
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** exact decimal USD */
  costUsd: string;
  costNanoUsd: number;
  avgTtftMs: number | null;
  avgThroughput: number | null;
  avgLatencyMs: number | null;
};
export type BreakdownRow = UsageFigures & { id: string; label: string };

export const USAGE_DIMENSIONS = ["model", "provider", "key"] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];
/** The same usage grouped three ways: each chart reads the rows of its own dimension. */
export type UsageRowsByDimension = Record<UsageDimension, UsageRow[]>;

type Sums = Omit<UsageRow, "start" | "apiKeyId" | "modelSlug" | "providerSlug">;

const emptySums = (): Sums => ({
  requests: 0,
  errors: 0,
  promptTokens: 0,
  completionTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  costNanoUsd: 0n,
  ttftMsSum: 0,
  ttftCount: 0,
  latencyMsSum: 0,
  throughputSum: 0,
  throughputCount: 0,
});

function addTo(sums: Sums, row: Sums): void {
  for (const field of Object.keys(sums) as (keyof Sums)[]) {
    (sums[field] as number | bigint) = field === "costNanoUsd" ? sums.costNanoUsd + row.costNanoUsd : (sums[field] as number) + (row[field] as number);
  }
}

function toFigures(s: Sums): UsageFigures {
  return {
    requests: s.requests,
    errors: s.errors,
    promptTokens: s.promptTokens,
    completionTokens: s.completionTokens,
    totalTokens: s.promptTokens + s.completionTokens,
    cacheReadTokens: s.cacheReadTokens,
    cacheWriteTokens: s.cacheWriteTokens,
    reasoningTokens: s.reasoningTokens,
    costUsd: formatNanoUsd(s.costNanoUsd),
    costNanoUsd: Number(s.costNanoUsd),
    avgTtftMs: s.ttftCount > 0 ? s.ttftMsSum / s.ttftCount : null,
    avgThroughput: s.throughputCount > 0 ? s.throughputSum / s.throughputCount : null,
    avgLatencyMs: s.requests > 0 ? s.latencyMsSum / s.requests : null,
  };
}

/** Sums of all rows. */
export function sumUsage(rows: readonly Sums[]): UsageFigures {
  const sums = emptySums();
  for (const row of rows) addTo(sums, row);
  return toFigures(sums);
}

/** One row per dimension value, largest cost first (then requests). */
export function breakdownBy(rows: readonly UsageRow[], idOf: (row: UsageRow) => string, labelOf: (id: string) => string): BreakdownRow[] {
  const groups = new Map<string, Sums>();
  for (const row of rows) {
    const id = idOf(row);
    let sums = groups.get(id);
    if (!sums) groups.set(id, (sums = emptySums()));
    addTo(sums, row);
  }
  return [...groups.entries()]
    .map(([id, sums]) => ({ id, label: labelOf(id), ...toFigures(sums) }))
    .sort((a, b) => b.costNanoUsd - a.costNanoUsd || b.requests - a.requests || a.id.localeCompare(b.id));
}
