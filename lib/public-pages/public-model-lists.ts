/**
 * The public model lists, as pure functions of the catalog snapshot:
 * GET /api/v1/models in ZenMux's shape (reference/zenmux-docs/api/openai/openai-list-models.md;
 * embedding models among them, told apart by `output_modalities: ["embedding"]`)
 * GET /api/anthropic/v1/models in Anthropic's (plus ZenMux's extra fields), GET
 * /api/vertex-ai/{v1,v1beta}/models in Google's, and the single models their retrieve
 * paths answer.
 */
import type { Pricings } from "../gateway/metering/price-schema.ts";
import type { CatalogSnapshot, EndpointView, ModelView } from "../gateway/catalog-view/catalog-types.ts";
import { modelLookup, resolveModel } from "../gateway/routing/resolve-model.ts";
import { listedModels } from "../catalog/catalog-snapshot.ts";
import { modelKindOf } from "../gateway/catalog-view/model-kind.ts";

export type ZenMuxModel = {
  id: string;
  object: "model";
  display_name: string;
  created: number;
  owned_by: string;
  input_modalities: string[];
  output_modalities: string[];
  capabilities: { reasoning: boolean; tools: boolean; vision: boolean; json: boolean };
  context_length: number;
  max_output_tokens: number | null;
  pricings: Pricings;
};

/** Anthropic's model object (id, type, display_name, created_at, max_input_tokens, max_tokens) with ZenMux's extra fields. */
export type AnthropicModel = Omit<ZenMuxModel, "object" | "created" | "owned_by"> & {
  type: "model";
  created_at: string;
  max_input_tokens: number;
  max_tokens: number | null;
};

export function toZenMuxModelList(snapshot: CatalogSnapshot): { object: "list"; data: ZenMuxModel[] } {
  return { object: "list", data: listedModels(snapshot).map(toZenMuxModel) };
}

export function toZenMuxModel(model: ModelView): ZenMuxModel {
  return {
    id: model.slug,
    object: "model",
    display_name: model.displayName,
    created: Math.floor(releaseDate(model).getTime() / 1000),
    owned_by: model.vendor,
    input_modalities: model.inputModalities,
    output_modalities: model.outputModalities,
    capabilities: { ...model.capabilities },
    context_length: model.contextLength,
    max_output_tokens: model.maxOutput,
    pricings: representativeEndpoint(model).pricings,
  };
}

export type AnthropicListQuery = { limit?: number; afterId?: string; beforeId?: string };

/**
 * Anthropic's list with its cursor fields (`first_id`, `last_id`, `has_more`) so the SDK's
 * auto-pagination works; without `limit` every model is returned at once, as ZenMux does.
 */
export function toAnthropicModelList(snapshot: CatalogSnapshot, query: AnthropicListQuery = {}) {
  // Messages cannot call an embedding model: only the OpenAI list shows them.
  let models = listedModels(snapshot).filter((m) => modelKindOf(m) === "chat");
  if (query.afterId) models = models.slice(models.findIndex((m) => m.slug === query.afterId) + 1 || models.length);
  if (query.beforeId) {
    const end = models.findIndex((m) => m.slug === query.beforeId);
    models = end < 0 ? [] : models.slice(Math.max(0, query.limit ? end - query.limit : 0), end);
  }
  const page = query.limit ? models.slice(0, query.limit) : models;
  const data = page.map(toAnthropicModel);
  return {
    data,
    has_more: page.length < models.length,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  };
}

export function toAnthropicModel(model: ModelView): AnthropicModel {
  const { object: _object, created: _created, owned_by: _ownedBy, ...rest } = toZenMuxModel(model);
  return {
    type: "model",
    ...rest,
    created_at: releaseDate(model).toISOString().replace(".000Z", "Z"),
    max_input_tokens: model.contextLength,
    max_tokens: model.maxOutput,
  };
}

/** Google's Model resource (generativelanguage v1beta `models.get`), with ZenMux's pricings beside it. */
export type GeminiModel = {
  name: string;
  baseModelId: string;
  version: string;
  displayName: string;
  description: string;
  inputTokenLimit: number;
  outputTokenLimit: number | null;
  supportedGenerationMethods: string[];
  thinking: boolean;
  pricings: Pricings;
};

export function toGeminiModel(model: ModelView): GeminiModel {
  return {
    name: `models/${model.slug}`,
    baseModelId: model.slug,
    version: releaseDate(model).toISOString().slice(0, 10),
    displayName: model.displayName,
    description: model.description,
    inputTokenLimit: model.contextLength,
    outputTokenLimit: model.maxOutput,
    supportedGenerationMethods: ["generateContent", "streamGenerateContent", "countTokens"],
    thinking: model.capabilities.reasoning,
    pricings: representativeEndpoint(model).pricings,
  };
}

/**
 * Google's list: `{models, nextPageToken}`, `pageSize` models a page (Google's default 50,
 * at most 1,000) and an opaque token for the next one (the offset, base64url). Only models
 * generateContent can call: no embedding models (embedContent is not served).
 */
export function toGeminiModelList(
  snapshot: CatalogSnapshot,
  query: { pageSize?: number; pageToken?: string } = {},
): { models: GeminiModel[]; nextPageToken?: string } {
  const models = listedModels(snapshot).filter((m) => modelKindOf(m) === "chat");
  const start = query.pageToken ? Number(Buffer.from(query.pageToken, "base64url").toString()) : 0;
  const from = Number.isInteger(start) && start >= 0 ? start : 0;
  const size = query.pageSize ?? 50;
  const page = models.slice(from, from + size).map(toGeminiModel);
  const next = from + size;
  return next < models.length ? { models: page, nextPageToken: Buffer.from(String(next)).toString("base64url") } : { models: page };
}

/**
 * The listed model a retrieve names (GET /api/v1/models/{id}, /api/anthropic/v1/models/{id}):
 * its slug, or an alias or a bare name as the generation paths accept them (answered with
 * the model's own slug as its id); null for anything a client could not call.
 */
export function findListedModel(snapshot: CatalogSnapshot, reference: string): ModelView | null {
  let model: ModelView;
  try {
    ({ model } = resolveModel(reference, modelLookup(snapshot)));
  } catch {
    return null;
  }
  return listedModels(snapshot).includes(model) ? model : null;
}

function releaseDate(model: ModelView): Date {
  return model.releasedAt ?? model.addedAt;
}

/**
 * The endpoint whose prices a list shows for the model: the cheapest usable one by its
 * base prompt + completion price (the price a client pays when it routes by price).
 */
export function representativeEndpoint(model: ModelView): EndpointView {
  const usable = model.endpoints.filter((e) => e.enabled && e.provider.enabled);
  const candidates = usable.length > 0 ? usable : model.endpoints;
  return candidates.reduce((best, e) => (basePrice(e) < basePrice(best) ? e : best));
}

function basePrice(endpoint: EndpointView): number {
  const first = (item: keyof Pricings) => endpoint.pricings[item]?.[0]?.value ?? 0;
  return first("prompt") + first("completion");
}
