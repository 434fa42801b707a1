/** The models the playground offers: enabled chat models with a usable endpoint, each with the providers a pin can name. */
import type { CatalogSnapshot } from "../gateway/catalog-view/catalog-types.ts";
import { modelKindOf } from "../gateway/catalog-view/model-kind.ts";

export type PlaygroundProvider = { slug: string; name: string };
export type PlaygroundModel = { slug: string; name: string; providers: PlaygroundProvider[] };

export function selectPlaygroundModels(snapshot: Pick<CatalogSnapshot, "models">): PlaygroundModel[] {
  return snapshot.models
    .filter((model) => model.enabled && modelKindOf(model) === "chat")
    .map((model) => {
      const providers = new Map<string, PlaygroundProvider>();
      for (const endpoint of model.endpoints) {
        if (endpoint.enabled && endpoint.provider.enabled)
          providers.set(endpoint.provider.slug, { slug: endpoint.provider.slug, name: endpoint.provider.name });
      }
      return { slug: model.slug, name: model.displayName, providers: [...providers.values()] };
    })
    .filter((model) => model.providers.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}
