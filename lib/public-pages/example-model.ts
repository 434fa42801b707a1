/**
 * The model the landing and docs pages put in their snippets: one this instance can call
 * now (a chat model with an enabled endpoint whose provider has a credential), so a
 * visitor who copies a call gets an answer, not a 404 or a 502. Among the callable ones,
 * the model with the most callable providers (failover shows), then the lowest slug, so
 * the choice is stable between renders. Pure: the caller says which providers have a
 * credential (lib/provider-config/credential-store.ts).
 */
import type { CatalogSnapshot, ProviderView } from "../gateway/catalog-view/catalog-types.ts";
import { listedModels } from "../catalog/catalog-snapshot.ts";
import { modelKindOf } from "../gateway/catalog-view/model-kind.ts";
import { isRoutable } from "./provider-status.ts";

export type ExampleModel = {
  slug: string;
  /** false: no listed chat model has a provider with a credential; the slug is only an example */
  callable: boolean;
};

/** When the catalog has no chat model at all, the snippets still need a name. */
export const FALLBACK_EXAMPLE_SLUG = "openai/gpt-4o-mini";

export function exampleModel(snapshot: CatalogSnapshot, hasCredential: (provider: ProviderView) => boolean): ExampleModel {
  const chat = listedModels(snapshot).filter((model) => modelKindOf(model) === "chat");
  const ranked = chat
    .map((model) => ({
      slug: model.slug,
      providers: new Set(model.endpoints.filter((e) => isRoutable(e, hasCredential)).map((e) => e.provider.slug)).size,
    }))
    .sort((a, b) => b.providers - a.providers || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const best = ranked[0];
  if (!best) return { slug: FALLBACK_EXAMPLE_SLUG, callable: false };
  return { slug: best.slug, callable: best.providers > 0 };
}
