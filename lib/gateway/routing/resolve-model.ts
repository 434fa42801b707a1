/**
 * Model references as clients write them: `vendor/model`, an alias (`claude-sonnet-4-5`),
 * a bare name (`gpt-4o`) when exactly one model has it, each optionally pinned to one
 * provider with a `:provider` suffix (ZenMux's syntax).
 */
import type { CatalogSnapshot, ModelView } from "../catalog-view/catalog-types.ts";
import { GatewayError } from "../errors.ts";
import { matchesProvider } from "./select-candidates.ts";

export type ModelLookup = { bySlug: Map<string, ModelView>; byAlias: Map<string, ModelView>; byBareName: Map<string, ModelView[]> };
export type ResolvedModel = { model: ModelView; pin: string | null; requested: string };

const lookups = new WeakMap<CatalogSnapshot, ModelLookup>();

/** Indexes are built once per catalog snapshot. */
export function modelLookup(snapshot: CatalogSnapshot): ModelLookup {
  let lookup = lookups.get(snapshot);
  if (!lookup) {
    lookup = { bySlug: new Map(), byAlias: new Map(), byBareName: new Map() };
    for (const model of snapshot.models) {
      if (!model.enabled) continue;
      lookup.bySlug.set(model.slug, model);
      for (const alias of model.aliases) lookup.byAlias.set(alias, model);
      const bare = model.slug.slice(model.slug.indexOf("/") + 1);
      lookup.byBareName.set(bare, [...(lookup.byBareName.get(bare) ?? []), model]);
    }
    lookups.set(snapshot, lookup);
  }
  return lookup;
}

export function resolveModel(reference: string, lookup: ModelLookup): ResolvedModel {
  const requested = reference.trim();
  const colon = requested.lastIndexOf(":");
  const name = colon > 0 ? requested.slice(0, colon) : requested;
  const pin = colon > 0 ? requested.slice(colon + 1) || null : null;
  const model = lookup.bySlug.get(name) ?? lookup.byAlias.get(name) ?? bareMatch(name, lookup);
  if (!model) throw new GatewayError(404, "invalid_model", `Model ${name} is not valid: see GET /api/v1/models for the models this gateway serves`, "model");
  // A pin naming no provider of the model is the client's mistake, not a provider failure.
  if (pin && !model.endpoints.some((endpoint) => matchesProvider(endpoint, pin))) {
    const providers = [...new Set(model.endpoints.map((endpoint) => endpoint.provider.slug))].join(", ");
    throw new GatewayError(404, "invalid_model", `Model ${model.slug} has no provider ${pin}${providers ? `: its providers are ${providers}` : ""}`, "model");
  }
  return { model, pin, requested };
}

function bareMatch(name: string, lookup: ModelLookup): ModelView | undefined {
  const matches = lookup.byBareName.get(name) ?? [];
  if (matches.length > 1) {
    throw new GatewayError(404, "invalid_model", `Model ${name} is ambiguous: use one of ${matches.map((m) => m.slug).join(", ")}`, "model");
  }
  return matches[0];
}
