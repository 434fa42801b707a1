import "server-only";
/**
 * The endpoint statistics the router uses, for pages: the same EndpointHealth object,
 * after its first load from the database (so a restart does not show "no data yet"), and
 * with other instances' rows at most a few seconds old (an idle instance loads them
 * rarely, lib/gateway/health/stats-sync.ts).
 */
import type { ModelView } from "../gateway/catalog-view/catalog-types.ts";
import { fastestProvider, providerRows } from "../public-pages/model-detail.ts";
import { providerCharts } from "../public-pages/provider-series.ts";
import type { EndpointHealth } from "../gateway/health/endpoint-health.ts";
import { hasCredential } from "../provider-config/credential-store.ts";
import { getGateway } from "./gateway.ts";

/** As fresh as a serving instance's own view: one sync interval. */
const PAGE_STATS_MAX_AGE_MS = 5_000;

export async function endpointStats(): Promise<EndpointHealth> {
  const gateway = getGateway();
  await gateway.statsSync.ready;
  await gateway.statsSync.refreshIfOlderThan(PAGE_STATS_MAX_AGE_MS);
  return gateway.health;
}

const HOUR = 3_600_000;

/** A model page's numbers: provider rows, the fastest provider, and the last day's hourly charts. */
export async function modelStatistics(model: ModelView) {
  const stats = await endpointStats();
  const rows = providerRows(model, stats, hasCredential);
  const now = Date.now();
  const since = now - 24 * HOUR;
  const charts = providerCharts(
    model.endpoints.map((e) => ({ provider: e.provider.slug, points: stats.buckets.series(e.id, since, HOUR) })),
    since,
    HOUR,
    now,
  );
  return { rows, charts, fastest: fastestProvider(rows) };
}
