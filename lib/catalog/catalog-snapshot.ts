/**
 * Builds the in-memory catalog from the database. The gateway and the public model
 * lists read this snapshot, never the database, on their hot paths.
 */
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { ADAPTER_KINDS } from "../gateway/providers/adapter-kind.ts";
import { pricingsSchema } from "../gateway/metering/price-schema.ts";
import type { Capabilities, CatalogSnapshot, EndpointView, ModelView, ProviderView } from "../gateway/catalog-view/catalog-types.ts";

const stringArraySchema = z.array(z.string());
const capabilitiesSchema = z.object({ tools: z.boolean(), vision: z.boolean(), reasoning: z.boolean(), json: z.boolean() });
const adapterSchema = z.enum(ADAPTER_KINDS);

export async function loadCatalogSnapshot(db: Db): Promise<CatalogSnapshot> {
  const [providers, models] = await Promise.all([
    db.provider.findMany({ orderBy: { slug: "asc" } }),
    db.model.findMany({
      orderBy: [{ sortOrder: "asc" }, { slug: "asc" }],
      include: { aliases: { orderBy: { alias: "asc" } }, endpoints: { orderBy: { sortOrder: "asc" } } },
    }),
  ]);
  const providerViews = new Map<string, ProviderView>(
    providers.map((p) => [
      p.id,
      {
        id: p.id,
        slug: p.slug,
        name: p.name,
        adapter: adapterSchema.parse(p.adapter),
        baseUrl: p.baseUrl,
        apiKeyEnv: p.apiKeyEnv,
        enabled: p.enabled,
        source: p.source === "admin" ? "admin" : "catalog",
      },
    ]),
  );
  const modelViews: ModelView[] = models.map((m) => ({
    id: m.id,
    slug: m.slug,
    vendor: m.vendor,
    displayName: m.displayName,
    description: m.description,
    inputModalities: stringArraySchema.parse(JSON.parse(m.inputModalities)),
    outputModalities: stringArraySchema.parse(JSON.parse(m.outputModalities)),
    capabilities: capabilitiesSchema.parse(JSON.parse(m.capabilities)) satisfies Capabilities,
    contextLength: m.contextLength,
    maxOutput: m.maxOutput,
    releasedAt: m.releasedAt,
    addedAt: m.createdAt,
    enabled: m.enabled,
    aliases: m.aliases.map((a) => a.alias),
    endpoints: m.endpoints.map((e): EndpointView => {
      const provider = providerViews.get(e.providerId)!;
      return {
        id: e.id,
        slug: `${provider.slug}/${e.name}`,
        name: e.name,
        provider,
        upstreamModel: e.upstreamModel,
        pricings: pricingsSchema.parse(JSON.parse(e.pricings)),
        contextLength: e.contextLength ?? m.contextLength,
        maxOutput: e.maxOutput ?? m.maxOutput,
        supportedParameters: stringArraySchema.parse(JSON.parse(e.supportedParameters)),
        enabled: e.enabled,
      };
    }),
  }));
  // Ciphertext only, kept apart from ProviderView so it never rides along into a page.
  const storedCredentials = new Map(providers.flatMap((p) => (p.credentialEncrypted ? [[p.id, p.credentialEncrypted] as const] : [])));
  return { loadedAt: new Date(), models: modelViews, providers: [...providerViews.values()], storedCredentials };
}

/** Models a client can see: enabled, with at least one enabled endpoint on an enabled provider. */
export function listedModels(snapshot: CatalogSnapshot): ModelView[] {
  return snapshot.models.filter((m) => m.enabled && m.endpoints.some((e) => e.enabled && e.provider.enabled));
}
