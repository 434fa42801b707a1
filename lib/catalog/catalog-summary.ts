/** Headline numbers of the catalog for the landing page. Pure. */
import { listedModels } from "./catalog-snapshot.ts";
import type { CatalogSnapshot } from "../gateway/catalog-view/catalog-types.ts";

export function summariseCatalog(snapshot: CatalogSnapshot) {
  const models = listedModels(snapshot);
  const providers = new Set(models.flatMap((m) => m.endpoints.filter((e) => e.enabled && e.provider.enabled).map((e) => e.provider.slug)));
  return { models: models.length, vendors: new Set(models.map((m) => m.vendor)).size, providers: providers.size };
}
