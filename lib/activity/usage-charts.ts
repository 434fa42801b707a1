/**
 * Chart-ready usage data from rollup rows (pure): series over time per model,
 * provider, API key and token type, with the smaller contributors folded into "Other";
 * totals; and performance (TTFT, throughput, latency) weighted by how many calls
 * measured it. The Usage page's components only draw what this returns.
 */
import { bucketStart, enumerateBuckets, type ChartRange } from "./usage-buckets.ts";
import { breakdownBy, sumUsage, type BreakdownRow, type UsageFigures, type UsageRow, type UsageRowsByDimension } from "./usage-rows.ts";
import { attemptSuccessRate, withProviderAttempts, type ProviderAttemptCount, type ProviderUsageRow } from "./provider-attempts.ts";

/** `colour` is a stable index per value within a dimension, so a model keeps its colour from chart to chart. */
export type ChartSeries = { key: string; label: string; total: number; colour: number };
/** Recharts rows: `t` is the bucket start (epoch ms), every other field a series key. */
export type ChartPoint = Record<string, number>;
export type TimeSeriesChart = { series: ChartSeries[]; points: ChartPoint[] };

export type RankedValue = { id: string; label: string; value: number };

export type UsageCharts = {
  range: { from: string; to: string; granularity: ChartRange["granularity"]; timeZone: string };
  totals: UsageFigures;
  usage: {
    tokensByModel: TimeSeriesChart;
    costByModel: TimeSeriesChart;
    requestsByModel: TimeSeriesChart;
    tokensByType: TimeSeriesChart;
    tokensByKey: TimeSeriesChart;
    costByKey: TimeSeriesChart;
    models: BreakdownRow[];
    keys: BreakdownRow[];
    /** an organization's usage per member (their keys' sums), when the charts were asked for it */
    members: BreakdownRow[] | null;
    costByMember: TimeSeriesChart | null;
  };
  providers: {
    tokensByProvider: TimeSeriesChart;
    requestsByProvider: TimeSeriesChart;
    costByProvider: TimeSeriesChart;
    /** served calls per provider, with every attempt sent to it (failed-over ones included) */
    rows: ProviderUsageRow[];
    primary: string | null;
    /** providers that served at least one call */
    count: number;
    /** succeeded attempts over all attempts, as the provider pages count */
    successRate: number | null;
    fastest: RankedValue | null;
  };
  performance: { ttftByModel: RankedValue[]; throughputByModel: RankedValue[]; ttftByProvider: RankedValue[]; throughputByProvider: RankedValue[] };
};

export const OTHER_KEY = "other";
export const NO_PROVIDER_LABEL = "No provider";
export const NO_KEY_LABEL = "No key";
/** Named series per chart before the rest becomes "Other". */
const DEFAULT_TOP_N = 6;
/** Bars per performance chart, the busiest first. */
const PERFORMANCE_LIMIT = 12;

export type Metric = (row: UsageRow) => number;
export const metrics = {
  tokens: (row) => row.promptTokens + row.completionTokens,
  requests: (row) => row.requests,
  cost: (row) => Number(row.costNanoUsd),
} satisfies Record<string, Metric>;

type Bucketed = { bucket: number; row: UsageRow };

/** Rows tagged with their bucket start; rows outside the range are left out. */
export function assignBuckets(rows: readonly UsageRow[], range: ChartRange): { buckets: number[]; rows: Bucketed[] } {
  const buckets = enumerateBuckets(range.from, range.to, range.granularity, range.timeZone);
  const known = new Set(buckets);
  const cache = new Map<number, number>();
  const tagged: Bucketed[] = [];
  for (const row of rows) {
    const start = row.start.getTime();
    let bucket = cache.get(start);
    if (bucket === undefined) cache.set(start, (bucket = bucketStart(start, range.granularity, range.timeZone)));
    if (known.has(bucket)) tagged.push({ bucket, row });
  }
  return { buckets, rows: tagged };
}

function zeroPoints(buckets: number[], keys: string[]): ChartPoint[] {
  return buckets.map((t) => Object.fromEntries([["t", t], ...keys.map((key) => [key, 0])]));
}

/**
 * A stacked series per dimension value over every bucket (empty buckets are zeros, so
 * lines and bars don't skip time). The `topN` largest values by the metric get their own
 * series; the rest are summed into "Other". Values that add up to nothing are left out.
 */
export function seriesBy(
  tagged: readonly Bucketed[],
  buckets: number[],
  idOf: (row: UsageRow) => string,
  labelOf: (id: string) => string,
  metric: Metric,
  options: { topN?: number; colourOf?: (id: string) => number } = {},
): TimeSeriesChart {
  const topN = options.topN ?? DEFAULT_TOP_N;
  const totals = new Map<string, number>();
  for (const { row } of tagged) totals.set(idOf(row), (totals.get(idOf(row)) ?? 0) + metric(row));
  const ranked = [...totals.entries()].filter(([, total]) => total > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const named = ranked.slice(0, topN);
  const rest = ranked.slice(topN);
  const keyOf = new Map(named.map(([id], i) => [id, `s${i}`]));
  const colourOf = options.colourOf ?? ((id: string) => ranked.findIndex(([rankedId]) => rankedId === id));
  const series: ChartSeries[] = named.map(([id, total], i) => ({ key: `s${i}`, label: labelOf(id), total, colour: colourOf(id) }));
  if (rest.length > 0) {
    const single = rest.length === 1;
    series.push({
      key: OTHER_KEY,
      label: single ? labelOf(rest[0][0]) : `Other (${rest.length})`,
      total: rest.reduce((n, [, total]) => n + total, 0),
      colour: single ? colourOf(rest[0][0]) : -1,
    });
  }
  const points = zeroPoints(
    buckets,
    series.map((s) => s.key),
  );
  const index = new Map(buckets.map((t, i) => [t, i]));
  for (const { bucket, row } of tagged) {
    const value = metric(row);
    if (value === 0) continue;
    const id = idOf(row);
    if (!totals.get(id)) continue;
    const key = keyOf.get(id) ?? OTHER_KEY;
    points[index.get(bucket)!][key] += value;
  }
  return { series, points };
}

/** The disjoint token types: prompt and completion as recorded include the cache and reasoning parts. */
export const TOKEN_TYPES = [
  { key: "input", label: "Input", colour: 0, of: (r: UsageRow) => Math.max(0, r.promptTokens - r.cacheReadTokens - r.cacheWriteTokens) },
  { key: "cacheRead", label: "Cache read", colour: 4, of: (r: UsageRow) => r.cacheReadTokens },
  { key: "cacheWrite", label: "Cache write", colour: 1, of: (r: UsageRow) => r.cacheWriteTokens },
  { key: "output", label: "Output", colour: 2, of: (r: UsageRow) => Math.max(0, r.completionTokens - r.reasoningTokens) },
  { key: "reasoning", label: "Reasoning", colour: 3, of: (r: UsageRow) => Math.min(r.reasoningTokens, r.completionTokens) },
] as const;

/** Tokens per bucket split by type; types that never occur are left out. */
export function tokenTypeSeries(tagged: readonly Bucketed[], buckets: number[]): TimeSeriesChart {
  const all = zeroPoints(
    buckets,
    TOKEN_TYPES.map((type) => type.key),
  );
  const index = new Map(buckets.map((t, i) => [t, i]));
  for (const { bucket, row } of tagged) for (const type of TOKEN_TYPES) all[index.get(bucket)!][type.key] += type.of(row);
  const series = TOKEN_TYPES.map((type) => ({ key: type.key, label: type.label, total: all.reduce((n, p) => n + p[type.key], 0), colour: type.colour })).filter(
    (s) => s.total > 0,
  );
  const points = all.map((p) => Object.fromEntries([["t", p.t], ...series.map((s) => [s.key, p[s.key]])]));
  return { series, points };
}

/** Measured averages, lowest first for TTFT and highest first for throughput; the busiest `limit` values only. */
export function rankPerformance(rows: readonly BreakdownRow[], field: "avgTtftMs" | "avgThroughput", limit = PERFORMANCE_LIMIT): RankedValue[] {
  const measured = rows.filter((row) => row[field] !== null);
  const busiest = [...measured].sort((a, b) => b.requests - a.requests || a.id.localeCompare(b.id)).slice(0, limit);
  const ranked = busiest.map((row) => ({ id: row.id, label: row.label, value: row[field]! }));
  return ranked.sort((a, b) => (field === "avgTtftMs" ? a.value - b.value : b.value - a.value) || a.id.localeCompare(b.id));
}

/** `memberOf`: in an organization, the member (email) whose key it is; given, the charts group by member too. */
export type ChartLabels = { keyLabel: (apiKeyId: string) => string; memberOf?: (apiKeyId: string) => string | null };

export const providerLabel = (slug: string) => slug || NO_PROVIDER_LABEL;

/**
 * Everything the Usage page draws, from rows already filtered to the viewer's scope and the
 * range. Totals and token types come from the model rows: every call has a model (or the
 * name it asked for), so they hold all of it.
 */
export function prepareUsageCharts(
  rows: UsageRowsByDimension,
  range: ChartRange,
  labels: ChartLabels,
  attempts: readonly ProviderAttemptCount[] = [],
  topN = DEFAULT_TOP_N,
): UsageCharts {
  const tag = (of: readonly UsageRow[]) => assignBuckets(of, range);
  const { buckets, rows: byModelTagged } = tag(rows.model);
  const byProviderTagged = tag(rows.provider).rows;
  const byKeyTagged = tag(rows.key).rows;
  const untag = (tagged: Bucketed[]) => tagged.map((t) => t.row);
  const byModel = (row: UsageRow) => row.modelSlug;
  const byProvider = (row: UsageRow) => row.providerSlug;
  const byKey = (row: UsageRow) => row.apiKeyId;
  const modelLabel = (slug: string) => slug;
  const keyLabel = (id: string) => (id ? labels.keyLabel(id) : NO_KEY_LABEL);
  const models = breakdownBy(untag(byModelTagged), byModel, modelLabel);
  const providerRows = breakdownBy(untag(byProviderTagged), byProvider, providerLabel);
  const keys = breakdownBy(untag(byKeyTagged), byKey, keyLabel);
  // Colours follow each dimension's table order (dearest first), the same in every chart.
  const colours = (rows: BreakdownRow[]) => {
    const index = new Map(rows.map((row, i) => [row.id, i]));
    return (id: string) => index.get(id) ?? -1;
  };
  const series = (tagged: Bucketed[], idOf: (row: UsageRow) => string, labelOf: (id: string) => string, table: BreakdownRow[], metric: Metric) =>
    seriesBy(tagged, buckets, idOf, labelOf, metric, { topN, colourOf: colours(table) });
  const modelSeries = (metric: Metric) => series(byModelTagged, byModel, modelLabel, models, metric);
  const providerSeries = (metric: Metric) => series(byProviderTagged, byProvider, providerLabel, providerRows, metric);
  const keySeries = (metric: Metric) => series(byKeyTagged, byKey, keyLabel, keys, metric);
  const memberOf = labels.memberOf;
  const byMember = (row: UsageRow) => (memberOf ? (memberOf(row.apiKeyId) ?? "") : "");
  const memberLabel = (id: string) => id || NO_KEY_LABEL;
  const members = memberOf ? breakdownBy(untag(byKeyTagged), byMember, memberLabel) : null;

  const served = providerRows.filter((row) => row.id !== "");
  const totals = sumUsage(untag(byModelTagged));
  const ttftByProvider = rankPerformance(served, "avgTtftMs");
  return {
    range: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), granularity: range.granularity, timeZone: range.timeZone },
    totals,
    usage: {
      tokensByModel: modelSeries(metrics.tokens),
      costByModel: modelSeries(metrics.cost),
      requestsByModel: modelSeries(metrics.requests),
      tokensByType: tokenTypeSeries(byModelTagged, buckets),
      tokensByKey: keySeries(metrics.tokens),
      costByKey: keySeries(metrics.cost),
      models,
      keys,
      members,
      costByMember: members ? series(byKeyTagged, byMember, memberLabel, members, metrics.cost) : null,
    },
    providers: {
      tokensByProvider: providerSeries(metrics.tokens),
      requestsByProvider: providerSeries(metrics.requests),
      costByProvider: providerSeries(metrics.cost),
      rows: withProviderAttempts(providerRows, attempts, providerLabel),
      primary: [...served].sort((a, b) => b.requests - a.requests || a.id.localeCompare(b.id))[0]?.label ?? null,
      count: served.length,
      successRate: attemptSuccessRate(attempts),
      fastest: ttftByProvider[0] ?? null,
    },
    performance: {
      ttftByModel: rankPerformance(models, "avgTtftMs"),
      throughputByModel: rankPerformance(models, "avgThroughput"),
      ttftByProvider,
      throughputByProvider: rankPerformance(served, "avgThroughput"),
    },
  };
}
