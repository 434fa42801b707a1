import "server-only";
/**
 * The process's catalog snapshot. Loaded on first use; refreshed in the background once
 * it is older than CATALOG_REFRESH_SECONDS (default 30) so a sync by another process
 * shows up without a restart, while requests keep reading memory.
 *
 * Admin edits apply at once on the instance that made them (`invalidateCatalogSnapshot`)
 * and within about a second on every other instance: a change feed polls a cheap stamp
 * of the catalog tables (latest `updatedAt` and row count of each) twice a second and
 * drops the snapshot when it moves.
 */
import { getDb } from "../db/client.ts";
import { loadCatalogSnapshot, readCatalogStamp } from "./catalog-snapshot.ts";
import type { CatalogSnapshot } from "./catalog-types.ts";

const CHANGE_POLL_MS = 500;

type CacheState = {
  snapshot?: CatalogSnapshot;
  /** the newest snapshot loaded, kept across invalidations (credential lookups read it) */
  latest?: CatalogSnapshot;
  loading?: Promise<CatalogSnapshot>;
  /** bumped by each invalidation, so a load that started before it is not kept */
  generation: number;
  stamp?: string;
  feed?: ReturnType<typeof setInterval>;
};
const holder = globalThis as unknown as { switchyardCatalog?: CacheState };
const state: CacheState = (holder.switchyardCatalog ??= { generation: 0 });

function refreshAfterMs(): number {
  const seconds = Number(process.env.CATALOG_REFRESH_SECONDS ?? 30);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 30_000;
}

function reload(): Promise<CatalogSnapshot> {
  if (state.loading) return state.loading;
  const generation = state.generation;
  const loading = loadCatalogSnapshot(getDb())
    .then((snapshot) => {
      if (generation === state.generation) {
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

async function pollChanges(): Promise<void> {
  const stamp = await readCatalogStamp(getDb());
  if (state.stamp !== undefined && stamp !== state.stamp) invalidateCatalogSnapshot();
  state.stamp = stamp;
}

function startChangeFeed(): void {
  if (state.feed) return;
  state.feed = setInterval(() => {
    pollChanges().catch((error: Error) => console.error(`catalog change feed: ${error.message}`));
  }, CHANGE_POLL_MS);
  state.feed.unref();
}

export async function getCatalogSnapshot(): Promise<CatalogSnapshot> {
  startChangeFeed();
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
  state.generation += 1;
  state.snapshot = undefined;
  state.loading = undefined;
}
