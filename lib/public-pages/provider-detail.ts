/**
 * What the provider pages show, built from the in-memory catalog, the endpoint statistics
 * and the daily usage rollups (pure: the statistics come in as an object). A provider's
 * availability and latency are its endpoints' one-minute buckets added up, so percentiles
 * come from merged histograms, never from averaged percentiles. Nothing is invented:
 * without traffic a value is null ("no data yet") and a chart has no series.
 */
import { startOfLocalDay } from "../activity/usage-buckets.ts";
import { assignBuckets, tokenTypeSeries, type TimeSeriesChart } from "../activity/usage-charts.ts";
import type { UsageRow } from "../activity/usage-rows.ts";
import type { WindowStats } from "../gateway/health/stat-buckets.ts";
import type { CatalogSnapshot, EndpointView, ModelView, ProviderView } from "../gateway/catalog-view/catalog-types.ts";
import { modelPath, priceLines, protocolName, type PriceLine } from "./model-detail.ts";
import { ALWAYS_CONFIGURED, providerStatus, statusRank, type IsConfigured, type ProviderStatus } from "./provider-status.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The slice of StatBuckets the pages read: several endpoints' buckets summed. */
export type ProviderStatsSource = {
  windowOf(endpointIds: readonly string[], windowMs: number): WindowStats;
  seriesOf(endpointIds: readonly string[], sinceMs: number, stepMs: number): { start: number; stats: WindowStats }[];
};

export type ProviderWindows = { fiveMinutes: WindowStats; hour: WindowStats; day: WindowStats };

export type ProviderSummary = {
  slug: string;
  name: string;
  protocol: string;
  enabled: boolean;
  /** "not_configured": no credential, so nothing is routed to it */
  status: ProviderStatus;
  /** listed models this provider serves */
  models: number;
  hour: WindowStats;
  day: WindowStats;
};

export type ProviderModelRow = {
  endpointId: string;
  modelSlug: string;
  modelName: string;
  modelHref: string;
  upstreamModel: string;
  contextLength: number;
  maxOutput: number | null;
  prices: PriceLine[];
  /** the endpoint and its provider are enabled */
  enabled: boolean;
  /** as enabled, and "not_configured" when the provider has no credential */
  status: ProviderStatus;
  /** this endpoint's last 5 minutes, hour and day */
  windows: ProviderWindows;
};

/** Every endpoint of a provider, in any model (its traffic counts whether or not the model is listed). */
export function providerEndpoints(snapshot: CatalogSnapshot, providerSlug: string): EndpointView[] {
  return snapshot.models.flatMap((m) => m.endpoints.filter((e) => e.provider.slug === providerSlug));
}

export function providerWindows(source: ProviderStatsSource, endpointIds: readonly string[]): ProviderWindows {
  return { fiveMinutes: source.windowOf(endpointIds, 5 * MINUTE), hour: source.windowOf(endpointIds, HOUR), day: source.windowOf(endpointIds, DAY) };
}

/** One summary per catalog provider for /providers: enabled ones first, then not configured, then disabled; by name. */
export function providerSummaries(
  snapshot: CatalogSnapshot,
  listed: readonly ModelView[],
  source: ProviderStatsSource,
  isConfigured: IsConfigured = ALWAYS_CONFIGURED,
): ProviderSummary[] {
  return snapshot.providers
    .map((provider) => {
      const ids = providerEndpoints(snapshot, provider.slug).map((e) => e.id);
      return {
        slug: provider.slug,
        name: provider.name,
        protocol: protocolName(provider.adapter),
        enabled: provider.enabled,
        status: providerStatus(provider, isConfigured),
        models: listed.filter((m) => m.endpoints.some((e) => e.provider.slug === provider.slug)).length,
        hour: source.windowOf(ids, HOUR),
        day: source.windowOf(ids, DAY),
      };
    })
    .sort((a, b) => statusRank(a.status) - statusRank(b.status) || a.name.localeCompare(b.name));
}

/** A provider's table on its page: one row per endpoint of a listed model, by model name. */
export function providerModelRows(
  provider: ProviderView,
  listed: readonly ModelView[],
  source: ProviderStatsSource,
  isConfigured: IsConfigured = ALWAYS_CONFIGURED,
): ProviderModelRow[] {
  return listed
    .flatMap((model) =>
      model.endpoints
        .filter((e) => e.provider.slug === provider.slug)
        .map((e) => ({
          endpointId: e.id,
          modelSlug: model.slug,
          modelName: model.displayName,
          modelHref: modelPath(model.slug),
          upstreamModel: e.upstreamModel,
          contextLength: e.contextLength,
          maxOutput: e.maxOutput,
          prices: priceLines(e.pricings),
          enabled: e.enabled && provider.enabled,
          status: providerStatus(provider, isConfigured, e.enabled),
          windows: providerWindows(source, [e.id]),
        })),
    )
    .sort((a, b) => a.modelName.localeCompare(b.modelName) || a.upstreamModel.localeCompare(b.upstreamModel));
}

/** Where the 24-hour series starts (the hour 23 hours before the current one). */
export function hourlySince(nowMs: number): number {
  return Math.floor(nowMs / HOUR) * HOUR - 23 * HOUR;
}

export const REQUEST_SERIES = [
  { key: "succeeded", label: "Succeeded", colour: 0 },
  { key: "failed", label: "Failed", colour: 7 },
] as const;

/**
 * Requests per hour over the last 24 hours, succeeded and failed stacked. Hours without
 * traffic are zeros (nothing was called); without any traffic there are no series.
 */
export function hourlyRequests(points: readonly { start: number; stats: WindowStats }[], nowMs: number): TimeSeriesChart {
  const first = hourlySince(nowMs);
  const byStart = new Map(points.map((p) => [p.start, p.stats]));
  const all = Array.from({ length: 24 }, (_, i) => {
    const t = first + i * HOUR;
    const stats = byStart.get(t);
    return { t, succeeded: stats ? stats.requests - stats.failures : 0, failed: stats?.failures ?? 0 };
  });
  const series = REQUEST_SERIES.map((s) => ({ ...s, total: all.reduce((n, p) => n + p[s.key], 0) })).filter((s) => s.total > 0);
  return { series, points: all.map((p) => Object.fromEntries([["t", p.t], ...series.map((s) => [s.key, p[s.key]])])) };
}

/** Where the 30-day token chart starts: midnight UTC 29 days before today. */
export function dailySince(nowMs: number): number {
  return startOfLocalDay(nowMs, 29, "UTC");
}

/** Tokens per UTC day over the last 30 days by type (input, output, cache, reasoning), from daily rollups. */
export function dailyTokens(rows: readonly UsageRow[], nowMs: number): TimeSeriesChart {
  const { buckets, rows: tagged } = assignBuckets(rows, { from: dailySince(nowMs), to: nowMs, granularity: "day", timeZone: "UTC" });
  return tokenTypeSeries(tagged, buckets);
}
