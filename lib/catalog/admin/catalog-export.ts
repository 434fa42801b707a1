/**
 * The database's catalog as a catalog file (the inverse of sync-catalog.ts): what the
 * admin console exports, and the document its edits are validated against. Defaults
 * the sync would fill in (enabled, no aliases) are left out so files stay tidy; the
 * result always passes `catalogSchema`, so `npm run cli -- catalog:check` accepts it.
 */
import type { Db } from "../../db/client.ts";
import { pricingsSchema } from "../../gateway/metering/price-schema.ts";
import { type CatalogEndpoint, type CatalogFile, type CatalogModel, type CatalogProvider } from "../catalog-schema.ts";

type ProviderRow = { slug: string; name: string; adapter: string; baseUrl: string; apiKeyEnv: string | null; enabled: boolean };
type EndpointRow = {
  providerId: string;
  name: string;
  upstreamModel: string;
  pricings: string;
  contextLength: number | null;
  maxOutput: number | null;
  supportedParameters: string;
  enabled: boolean;
  priceSource: string | null;
};
type ModelRow = {
  slug: string;
  displayName: string;
  description: string;
  inputModalities: string;
  outputModalities: string;
  capabilities: string;
  contextLength: number;
  maxOutput: number | null;
  releasedAt: Date | null;
  enabled: boolean;
  aliases: { alias: string }[];
  endpoints: EndpointRow[];
};

export function toCatalogProvider(row: ProviderRow): CatalogProvider {
  return {
    slug: row.slug,
    name: row.name,
    adapter: row.adapter as CatalogProvider["adapter"],
    baseUrl: row.baseUrl,
    ...(row.apiKeyEnv ? { apiKeyEnv: row.apiKeyEnv } : {}),
    ...(row.enabled ? {} : { enabled: false }),
  };
}

/** sync-catalog stores a price source as "url (YYYY-MM-DD)". */
function parsePriceSource(text: string | null): CatalogEndpoint["priceSource"] {
  const match = text?.match(/^(\S+) \((\d{4}-\d{2}-\d{2})\)$/);
  return match ? { url: match[1], date: match[2] } : undefined;
}

export function toCatalogEndpoint(row: EndpointRow, providerSlug: string): CatalogEndpoint {
  const supportedParameters = JSON.parse(row.supportedParameters) as string[];
  const priceSource = parsePriceSource(row.priceSource);
  return {
    provider: providerSlug,
    name: row.name,
    upstreamModel: row.upstreamModel,
    pricings: pricingsSchema.parse(JSON.parse(row.pricings)),
    ...(row.contextLength !== null ? { contextLength: row.contextLength } : {}),
    ...(row.maxOutput !== null ? { maxOutput: row.maxOutput } : {}),
    ...(supportedParameters.length > 0 ? { supportedParameters } : {}),
    ...(row.enabled ? {} : { enabled: false }),
    ...(priceSource ? { priceSource } : {}),
  };
}

export function toCatalogModel(row: ModelRow, providerSlugs: ReadonlyMap<string, string>): CatalogModel {
  const aliases = row.aliases.map((a) => a.alias).sort();
  return {
    id: row.slug,
    name: row.displayName,
    ...(row.description ? { description: row.description } : {}),
    ...(row.releasedAt ? { created: row.releasedAt.toISOString().slice(0, 10) } : {}),
    contextLength: row.contextLength,
    ...(row.maxOutput !== null ? { maxOutput: row.maxOutput } : {}),
    inputModalities: JSON.parse(row.inputModalities),
    outputModalities: JSON.parse(row.outputModalities),
    capabilities: JSON.parse(row.capabilities),
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(row.enabled ? {} : { enabled: false }),
    endpoints: row.endpoints.map((e) => toCatalogEndpoint(e, providerSlugs.get(e.providerId) ?? "")),
  };
}

/** Every provider and model in the database, in the catalog's order. */
export async function exportCatalog(db: Db): Promise<CatalogFile> {
  const [providers, models] = await Promise.all([
    db.provider.findMany({ orderBy: { slug: "asc" } }),
    db.model.findMany({
      orderBy: [{ sortOrder: "asc" }, { slug: "asc" }],
      include: { aliases: true, endpoints: { orderBy: [{ sortOrder: "asc" }, { name: "asc" }] } },
    }),
  ]);
  const providerSlugs = new Map(providers.map((p) => [p.id, p.slug]));
  return { providers: providers.map(toCatalogProvider), models: models.map((m) => toCatalogModel(m, providerSlugs)) };
}
