import "server-only";
/**
 * The model browser's rows for this process: the in-memory catalog snapshot plus the
 * gateway's live endpoint statistics, both read from memory (no database query per row).
 * Here in the composition root, beside model-statistics.ts and provider-statistics.ts: the
 * catalog service builds rows from what it is handed and never reaches for the gateway.
 */
import { getCatalogSnapshot } from "../catalog/catalog-cache.ts";
import { listedModels } from "../catalog/catalog-snapshot.ts";
import { buildModelRows, type ModelRow } from "../public-pages/model-browser.ts";
import { hasCredential } from "../provider-config/credential-store.ts";
import { getGateway } from "./gateway.ts";

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
