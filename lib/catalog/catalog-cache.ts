import "server-only";
/**
 * The process's catalog snapshot. Loaded on first use; refreshed in the background once
 * it is older than CATALOG_REFRESH_SECONDS (default 30) so a sync by another process
 * shows up without a restart, while requests keep reading memory.
 */
import { getDb } from "../db/client.ts";
import { loadCatalogSnapshot } from "./catalog-snapshot.ts";
import type { CatalogSnapshot } from "./catalog-types.ts";

type CacheState = { snapshot?: CatalogSnapshot; loading?: Promise<CatalogSnapshot> };
const state = (globalThis as unknown as { switchyardCatalog?: CacheState }).switchyardCatalog ?? {};
(globalThis as unknown as { switchyardCatalog?: CacheState }).switchyardCatalog = state;

function refreshAfterMs(): number {
  const seconds = Number(process.env.CATALOG_REFRESH_SECONDS ?? 30);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 30_000;
}

function reload(): Promise<CatalogSnapshot> {
  state.loading ??= loadCatalogSnapshot(getDb())
    .then((snapshot) => {
      state.snapshot = snapshot;
      return snapshot;
    })
    .finally(() => {
      state.loading = undefined;
    });
  return state.loading;
}

export async function getCatalogSnapshot(): Promise<CatalogSnapshot> {
  const current = state.snapshot;
  if (!current) return reload();
  if (Date.now() - current.loadedAt.getTime() > refreshAfterMs()) {
    // Serve the current snapshot; a failed refresh keeps it and retries next time.
    reload().catch((error: Error) => console.error(`catalog refresh failed: ${error.message}`));
  }
  return current;
}

/** Drop the snapshot so the next read reloads it (after an admin edit on this instance). */
export function invalidateCatalogSnapshot(): void {
  state.snapshot = undefined;
}
