/**
 * Candidate endpoints for one model, filtered and ordered by strategy. Pure: the health
 * numbers and credential lookup come in as functions, so every ordering rule is a
 * unit test away.
 *
 * - latency (default): lowest recent TTFT p50 first. Endpoints with fewer than
 *   MIN_SAMPLES measurements get a fair share of first places (round robin) until
 *   they have numbers, so a new or recovered provider is measured rather than ignored.
 * - throughput: highest p50 tokens/s first, the same exploration rule.
 * - price: lowest prompt + completion price at the tier the prompt size selects.
 * - order: only the listed providers (`provider` or `provider/endpoint`), in that order.
 * Circuit-open endpoints go last; the attempt loop skips them while others remain.
 */
import type { EndpointView, ModelView, ProviderView } from "../catalog-view/catalog-types.ts";
import { selectPrice } from "../metering/pricing.ts";
import type { EndpointStats } from "../health/endpoint-health.ts";
import type { RequestNeeds } from "./request-needs.ts";

export type Strategy = { kind: "latency" } | { kind: "price" } | { kind: "throughput" } | { kind: "order"; providers: string[] };

export type CandidateContext = {
  needs: RequestNeeds;
  stats: (endpointId: string) => EndpointStats;
  /** why a provider cannot take traffic now (no credential, unsupported kind), or null */
  providerProblem: (provider: ProviderView) => string | null;
  /** a counter shared across requests, for the exploration round robin */
  nextTurn: () => number;
};

export type CandidateSelection = { candidates: EndpointView[]; excluded: string[] };

export const MIN_SAMPLES = 3;

function exclusionReason(model: ModelView, endpoint: EndpointView, ctx: CandidateContext): string | null {
  const { needs } = ctx;
  const name = endpoint.slug;
  if (!endpoint.enabled) return `${name} is disabled`;
  if (!endpoint.provider.enabled) return `provider ${endpoint.provider.slug} is disabled`;
  const problem = ctx.providerProblem(endpoint.provider);
  if (problem) return problem;
  const params = endpoint.supportedParameters;
  if (needs.tools && (!model.capabilities.tools || (params.length > 0 && !params.includes("tools")))) return `${name} does not support tools`;
  if (needs.images && !model.inputModalities.includes("image")) return `${model.slug} does not accept images`;
  if (needs.json && !model.capabilities.json && !params.includes("response_format")) return `${name} does not support JSON mode`;
  const contextTokens = needs.contextTokens ?? needs.estimatedPromptTokens;
  if (contextTokens > endpoint.contextLength)
    return `${name} has a ${endpoint.contextLength}-token context, the ${needs.contextTokens === undefined ? "prompt" : "longest input"} needs about ${contextTokens}`;
  return null;
}

export function matchesProvider(endpoint: EndpointView, entry: string): boolean {
  return entry === endpoint.provider.slug || entry === endpoint.slug;
}

function basePrice(endpoint: EndpointView, promptTokens: number): number {
  const prompt = selectPrice(endpoint.pricings.prompt, promptTokens)?.value ?? 0;
  const completion = selectPrice(endpoint.pricings.completion, promptTokens)?.value ?? 0;
  return prompt + completion;
}

/** Measured endpoints by `metric` (nulls last); one unmeasured endpoint may be promoted to first, in turn. */
function orderByMeasurement(endpoints: EndpointView[], ctx: CandidateContext, metric: (s: EndpointStats) => number | null, ascending: boolean): EndpointView[] {
  const stats = new Map(endpoints.map((e) => [e.id, ctx.stats(e.id)]));
  const value = (e: EndpointView) => metric(stats.get(e.id)!);
  const ordered = [...endpoints].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === null ? (vb === null ? 0 : 1) : -1;
    return ascending ? va - vb : vb - va;
  });
  const exploring = ordered.filter((e) => stats.get(e.id)!.requests < MIN_SAMPLES);
  if (exploring.length === 0 || ordered.length < 2) return ordered;
  const turn = endpoints[ctx.nextTurn() % endpoints.length];
  if (!exploring.includes(turn)) return ordered;
  return [turn, ...ordered.filter((e) => e !== turn)];
}

export function selectCandidates(model: ModelView, pin: string | null, strategy: Strategy, ctx: CandidateContext): CandidateSelection {
  const excluded: string[] = [];
  let endpoints = model.endpoints.filter((endpoint) => {
    const reason = exclusionReason(model, endpoint, ctx);
    if (reason) excluded.push(reason);
    return !reason;
  });
  if (pin) {
    const pinned = endpoints.filter((e) => matchesProvider(e, pin));
    if (pinned.length === 0) excluded.push(`no usable endpoint of ${model.slug} on provider ${pin}`);
    endpoints = pinned;
  }

  let ordered: EndpointView[];
  switch (strategy.kind) {
    case "order":
      ordered = strategy.providers.flatMap((entry) => endpoints.filter((e) => matchesProvider(e, entry)));
      ordered = ordered.filter((e, i) => ordered.indexOf(e) === i);
      if (ordered.length === 0 && endpoints.length > 0) excluded.push(`none of the listed providers (${strategy.providers.join(", ")}) serves ${model.slug}`);
      break;
    case "price":
      ordered = [...endpoints].sort((a, b) => basePrice(a, ctx.needs.estimatedPromptTokens) - basePrice(b, ctx.needs.estimatedPromptTokens));
      break;
    case "throughput":
      ordered = orderByMeasurement(endpoints, ctx, (s) => s.throughputP50, false);
      break;
    default:
      ordered = orderByMeasurement(endpoints, ctx, (s) => s.ttftP50Ms, true);
  }
  if (strategy.kind !== "order") {
    // Keep the strategy's order among healthy endpoints; circuit-open ones go last.
    const open = new Set(ordered.filter((e) => ctx.stats(e.id).circuit === "open"));
    if (open.size > 0) ordered = [...ordered.filter((e) => !open.has(e)), ...open];
  }
  return { candidates: ordered, excluded };
}
