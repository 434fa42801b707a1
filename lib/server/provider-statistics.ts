import "server-only";
/**
 * The provider pages' data: the in-memory catalog snapshot and the gateway's endpoint
 * statistics (memory), plus, for one provider's page, one grouped query of the daily
 * usage rollups for its tokens per day. Never a query per row.
 */
import { queryProviderUsageRows } from "../activity/usage-query.ts";
import { getCatalogSnapshot } from "../catalog/catalog-cache.ts";
import { listedModels } from "../catalog/catalog-snapshot.ts";
import { protocolName } from "../public-pages/model-detail.ts";
import {
  dailySince,
  dailyTokens,
  hourlyRequests,
  hourlySince,
  providerEndpoints,
  providerModelRows,
  providerSummaries,
  providerWindows,
} from "../public-pages/provider-detail.ts";
import { getDb } from "../db/client.ts";
import { providerStatus } from "../public-pages/provider-status.ts";
import { hasCredential } from "../provider-config/credential-store.ts";
import { endpointStats } from "./model-statistics.ts";

const HOUR = 3_600_000;

/** Every catalog provider with its model count and its last hour's and day's numbers. */
export async function loadProviderSummaries() {
  const [snapshot, stats] = await Promise.all([getCatalogSnapshot(), endpointStats()]);
  return providerSummaries(snapshot, listedModels(snapshot), stats.buckets, hasCredential);
}

/** One provider's page, or null for a slug the catalog does not know. */
export async function loadProviderDetail(slug: string) {
  const snapshot = await getCatalogSnapshot();
  const provider = snapshot.providers.find((p) => p.slug === slug);
  if (!provider) return null;
  const now = Date.now();
  const [stats, usage] = await Promise.all([endpointStats(), queryProviderUsageRows(getDb(), provider.slug, new Date(dailySince(now)))]);
  const endpointIds = providerEndpoints(snapshot, provider.slug).map((e) => e.id);
  return {
    provider: {
      slug: provider.slug,
      name: provider.name,
      protocol: protocolName(provider.adapter),
      enabled: provider.enabled,
      status: providerStatus(provider, hasCredential),
    },
    windows: providerWindows(stats.buckets, endpointIds),
    models: providerModelRows(provider, listedModels(snapshot), stats.buckets, hasCredential),
    requestsPerHour: hourlyRequests(stats.buckets.seriesOf(endpointIds, hourlySince(now), HOUR), now),
    tokensPerDay: dailyTokens(usage, now),
  };
}

export type ProviderDetail = NonNullable<Awaited<ReturnType<typeof loadProviderDetail>>>;
