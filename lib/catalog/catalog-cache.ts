import "server-only";
/**
 * The process's catalog snapshot. Loaded on first use; dropped when the change feed reports
 * a catalog change from anywhere (lib/changes: at once on PostgreSQL, within CHANGE_POLL_MS
 * on SQLite), and refreshed in the background once it is older than
 * CATALOG_REFRESH_SECONDS (default 30) as a safety net. Requests keep reading memory.
 */
import { getChangeFeed } from "../changes/server-change-feed.ts";
import { getDb } from "../db/client.ts";
import { loadCatalogSnapshot } from "./catalog-snapshot.ts";
import type { CatalogSnapshot } from "../gateway/catalog-view/catalog-types.ts";
import { processSingleton } from "../process-singleton.ts";

type CacheState = {
  snapshot?: CatalogSnapshot;
  /** the newest snapshot loaded, kept across invalidations (credential lookups read it) */
  latest?: CatalogSnapshot;
  loading?: Promise<CatalogSnapshot>;
  watching?: boolean;
  /** bumped by each invalidation, so a load that started before it is not kept */
  generation?: number;
};
const state = processSingleton<CacheState>("switchyardCatalog", () => ({}));

function refreshAfterMs(): number {
  const seconds = Number(process.env.CATALOG_REFRESH_SECONDS ?? 30);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 30_000;
}

function reload(): Promise<CatalogSnapshot> {
  if (state.loading) return state.loading;
  // A load that started before an invalidation may read the old catalog: it answers
  // the callers that waited for it but is not kept.
  const generation = state.generation ?? 0;
  const loading = loadCatalogSnapshot(getDb())
    .then((snapshot) => {
      if ((state.generation ?? 0) === generation) {
        state.snapshot = snapshot;
        state.latest = snapshot;
      }
      return snapshot;
    })
    .finally(() => {
      if (state.loading === loading) state.loading = undefined;
    });
  state.loading = loading;
  return loading;
}

function watchForChanges() {
  if (state.watching) return;
  state.watching = true;
  getChangeFeed().on("catalog", invalidateCatalogSnapshot);
}

export async function getCatalogSnapshot(): Promise<CatalogSnapshot> {
  watchForChanges();
  const current = state.snapshot;
  if (!current) return reload();
  if (Date.now() - current.loadedAt.getTime() > refreshAfterMs()) {
    // Serve the current snapshot; a failed refresh keeps it and retries next time.
    reload().catch((error: Error) => console.error(`catalog refresh failed: ${error.message}`));
  }
  return current;
}

/** The newest snapshot this process has loaded, if any; never triggers a load. */
export function latestCatalogSnapshot(): CatalogSnapshot | undefined {
  return state.latest;
}

/** Drop the snapshot so the next read reloads it (after an admin edit on this instance). */
export function invalidateCatalogSnapshot(): void {
  state.generation = (state.generation ?? 0) + 1;
  state.snapshot = undefined;
  state.loading = undefined;
}
