import "server-only";
/**
 * The model browser's rows for this process: the in-memory catalog snapshot plus the
 * gateway's live endpoint statistics, both read from memory (no database query per row).
 */
import { hasCredential } from "../providers/credential-store.ts";
import { getGateway } from "../server/gateway.ts";
import { getCatalogSnapshot } from "./catalog-cache.ts";
import { listedModels } from "./catalog-snapshot.ts";
import { buildModelRows, type ModelRow } from "./model-browser.ts";

export async function loadModelRows(): Promise<ModelRow[]> {
  const snapshot = await getCatalogSnapshot();
  const { health } = getGateway();
  return buildModelRows(
    listedModels(snapshot),
    (endpointId) => health.stats(endpointId),
    (endpointId) => health.windows(endpointId),
    hasCredential,
  );
}
