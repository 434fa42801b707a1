/**
 * How a request wants to be routed, from its options, normalised to one plan:
 * `provider.routing` (ZenMux), the seed FAQ's `zenmux-route`, `provider.fallback`,
 * OpenRouter's `models`, and the account's default fallback model.
 */
import type { ChatRequest } from "../protocols/openai-chat/request-schema.ts";
import type { Strategy } from "./select-candidates.ts";

export type RoutePlan = {
  strategy: Strategy;
  /** fallback model references, in the order they are tried after the requested model */
  fallbacks: string[];
  /** a one-provider order list: only ever that provider, and its error is returned */
  singleProvider: boolean;
};

/** The routing fields of a request, whichever protocol it came in. */
export type RoutingRequest = Pick<ChatRequest, "provider" | "models" | "zenmux-route" | "model">;

export function planRoute(request: RoutingRequest, accountFallback: string | null): RoutePlan {
  const routing = request.provider?.routing;
  const legacy = request["zenmux-route"];
  let strategy: Strategy = { kind: "latency" };
  if (routing?.type === "priority") strategy = { kind: routing.primary_factor };
  else if (routing?.type === "order") strategy = { kind: "order", providers: routing.providers };
  else if (legacy?.strategy)
    strategy = { kind: legacy.strategy === "cost" || legacy.strategy === "price" ? "price" : legacy.strategy === "throughput" ? "throughput" : "latency" };

  const explicitFallback = request.provider?.fallback;
  const fallbacks = [
    ...(Array.isArray(explicitFallback) ? explicitFallback : explicitFallback ? [explicitFallback] : []),
    ...(request.models ?? []),
    ...(legacy?.fallback ?? []),
    ...(accountFallback ? [accountFallback] : []),
  ].filter((ref, i, all) => ref !== request.model && all.indexOf(ref) === i);

  return { strategy, fallbacks, singleProvider: strategy.kind === "order" && strategy.providers.length === 1 };
}
