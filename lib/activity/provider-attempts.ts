/**
 * Per-provider success on the Usage page counts every attempt, as the provider pages do
 * (a call that failed over from A to B is a failure for A and a success for B), and keeps
 * the calls each provider served beside it. Pure: the counts come from usage-query.ts.
 */
import type { BreakdownRow } from "./usage-rows.ts";

export type ProviderAttemptCount = { providerSlug: string; attempts: number; succeeded: number };

export type ProviderUsageRow = BreakdownRow & {
  /** every attempt sent to this provider, failed-over ones included */
  attempts: number;
  /** succeeded attempts / attempts; null without attempts */
  attemptSuccessRate: number | null;
  /** calls this provider served (the rollups' requests for it) */
  servedCalls: number;
};

const emptyRow = (id: string, label: string): BreakdownRow => ({
  id,
  label,
  requests: 0,
  errors: 0,
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  costUsd: "0.00",
  costNanoUsd: 0,
  avgTtftMs: null,
  avgThroughput: null,
  avgLatencyMs: null,
});

/**
 * The provider breakdown with attempts merged in: providers that were tried but never
 * served (every attempt failed over) get a row too, after the ones that served.
 */
export function withProviderAttempts(
  rows: readonly BreakdownRow[],
  counts: readonly ProviderAttemptCount[],
  labelOf: (slug: string) => string,
): ProviderUsageRow[] {
  const byProvider = new Map(counts.map((count) => [count.providerSlug, count]));
  const merged = rows.map((row) => {
    const count = byProvider.get(row.id);
    return {
      ...row,
      attempts: count?.attempts ?? 0,
      attemptSuccessRate: count && count.attempts > 0 ? count.succeeded / count.attempts : null,
      servedCalls: row.id === "" ? 0 : row.requests,
    };
  });
  const seen = new Set(rows.map((row) => row.id));
  const triedOnly = counts
    .filter((count) => !seen.has(count.providerSlug))
    .sort((a, b) => b.attempts - a.attempts || a.providerSlug.localeCompare(b.providerSlug))
    .map((count) => ({
      ...emptyRow(count.providerSlug, labelOf(count.providerSlug)),
      attempts: count.attempts,
      attemptSuccessRate: count.attempts > 0 ? count.succeeded / count.attempts : null,
      servedCalls: 0,
    }));
  return [...merged, ...triedOnly];
}

/** Succeeded attempts over all attempts, every provider together; null without attempts. */
export function attemptSuccessRate(counts: readonly ProviderAttemptCount[]): number | null {
  const attempts = counts.reduce((sum, c) => sum + c.attempts, 0);
  return attempts > 0 ? counts.reduce((sum, c) => sum + c.succeeded, 0) / attempts : null;
}
