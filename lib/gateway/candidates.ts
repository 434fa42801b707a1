/**
 * The ordered list of (model, endpoint) pairs a chat request may be served by: the
 * requested model's candidates under the plan's strategy, then each fallback model's.
 * A `:provider` pin or a one-provider order list means that provider only: no
 * fallbacks, and its own error is what the client gets.
 */
import type { ModelView, ProviderView } from "./catalog-view/catalog-types.ts";
import { modelKindOf, type ModelKind } from "./catalog-view/model-kind.ts";
import type { Candidate } from "./routing/candidate.ts";
import { GatewayError } from "./errors.ts";
import type { EndpointHealth } from "./health/endpoint-health.ts";
import { adapterFor } from "./providers/registry.ts";
import type { WireProtocol } from "./providers/types.ts";
import type { RequestNeeds } from "./routing/request-needs.ts";
import { resolveModel, type ModelLookup, type ResolvedModel } from "./routing/resolve-model.ts";
import type { RoutePlan } from "./routing/route-plan.ts";
import { selectCandidates } from "./routing/select-candidates.ts";

export type CandidatePlan = { candidates: Candidate[]; exclusive: boolean; excluded: string[] };

let turn = 0;

export function isModelAllowed(allowed: string[] | null, model: ModelView): boolean {
  return !allowed || allowed.includes(model.slug) || model.aliases.some((a) => allowed.includes(a));
}

export function planCandidates(
  primary: ResolvedModel,
  plan: RoutePlan,
  needs: RequestNeeds,
  deps: {
    lookup: ModelLookup;
    allowedModels: string[] | null;
    health: EndpointHealth;
    credentialFor: (provider: ProviderView) => string | null;
    upstreams?: readonly WireProtocol[];
    modelKind?: ModelKind;
  },
): CandidatePlan {
  const exclusive = primary.pin !== null || plan.singleProvider;
  const models: ResolvedModel[] = [primary];
  if (!exclusive) {
    for (const ref of plan.fallbacks) {
      try {
        const resolved = resolveModel(ref, deps.lookup);
        // A fallback of another kind (a chat model behind an embedding model) could not answer this API.
        const sameKind = modelKindOf(resolved.model) === (deps.modelKind ?? "chat");
        if (sameKind && isModelAllowed(deps.allowedModels, resolved.model) && !models.some((m) => m.model === resolved.model && m.pin === resolved.pin))
          models.push(resolved);
      } catch {
        // An unknown fallback is skipped: the request itself is still valid.
      }
    }
  }
  const providerProblem = (provider: ProviderView): string | null => {
    const adapter = adapterFor(provider.adapter);
    if (!adapter) return `provider ${provider.slug} uses the ${provider.adapter} protocol, which this gateway does not serve yet`;
    if (deps.upstreams && !deps.upstreams.includes(adapter.protocol))
      return `provider ${provider.slug} speaks ${adapter.protocol}, which this API cannot be translated to yet`;
    if (!deps.credentialFor(provider))
      return `provider ${provider.slug} has no credential configured${provider.apiKeyEnv ? ` (set ${provider.apiKeyEnv})` : ""}`;
    return null;
  };
  const candidates: Candidate[] = [];
  const excluded: string[] = [];
  models.forEach((resolved, index) => {
    // A provider order names the requested model's providers; fallbacks use the default order.
    const strategy = index > 0 && plan.strategy.kind === "order" ? { kind: "latency" as const } : plan.strategy;
    const selection = selectCandidates(resolved.model, resolved.pin, strategy, {
      needs,
      stats: (id) => deps.health.stats(id),
      providerProblem,
      nextTurn: () => turn++,
    });
    candidates.push(...selection.candidates.map((endpoint) => ({ model: resolved.model, endpoint })));
    excluded.push(...selection.excluded);
  });
  return { candidates, exclusive, excluded };
}

/** Why nothing could be tried, as the error the client gets. */
export function noCandidateError(model: ModelView, excluded: string[]): GatewayError {
  if (excluded.length > 0 && excluded.every((reason) => reason.includes("-token context"))) {
    return new GatewayError(413, "invalid_params", `Prompt is too long for ${model.slug}: ${excluded[0]}`);
  }
  const reasons = [...new Set(excluded)].join("; ") || "it has no endpoints";
  return new GatewayError(502, "no_provider_available", `No provider available for ${model.slug}: ${reasons}`);
}

/** 400 for a model of another kind than the API serves: a chat model on embeddings, an embedding model on a chat API. */
export function wrongModelKindError(model: ModelView, served: ModelKind): GatewayError | null {
  const kind = modelKindOf(model);
  if (kind === served) return null;
  const message =
    kind === "embedding"
      ? `${model.slug} is an embedding model: call POST /api/v1/embeddings with it, not this API`
      : `${model.slug} is not an embedding model: POST /api/v1/embeddings serves only models whose output_modalities are ["embedding"] (see GET /api/v1/models)`;
  return new GatewayError(400, "model_not_supported", message, "model");
}
