/**
 * Catalog views and a caller for in-process tests of the core (generation-handler.test.ts,
 * stream-relay.test.ts): one model on OpenAI-kind providers at simple per-million prices.
 */
import type { EndpointView, ModelView, ProviderView } from "../catalog-view/catalog-types.ts";
import type { Principal } from "../principal.ts";

/** An endpoint of provider `slug` (https://<slug>.test/v1), priced in USD per million prompt and completion tokens. */
export function testEndpoint(slug: string, promptUsd: number, completionUsd: number): EndpointView {
  const provider: ProviderView = { id: `p_${slug}`, slug, name: slug, adapter: "openai", baseUrl: `https://${slug}.test/v1`, apiKeyEnv: null, enabled: true };
  return {
    id: `e_${slug}`,
    slug: `${slug}/default`,
    name: "default",
    provider,
    upstreamModel: `${slug}-m`,
    contextLength: 8000,
    maxOutput: null,
    supportedParameters: [],
    enabled: true,
    pricings: {
      prompt: [{ value: promptUsd, unit: "perMTokens", currency: "USD" }],
      completion: [{ value: completionUsd, unit: "perMTokens", currency: "USD" }],
    },
  };
}

/** The model `acme/m`, served by `endpoints` in that order. */
export function testModel(endpoints: EndpointView[]): ModelView {
  return {
    id: "m_1",
    slug: "acme/m",
    vendor: "acme",
    displayName: "M",
    description: "",
    inputModalities: ["text"],
    outputModalities: ["text"],
    capabilities: { tools: false, vision: false, reasoning: false, json: false },
    contextLength: 8000,
    maxOutput: null,
    releasedAt: null,
    addedAt: new Date(0),
    enabled: true,
    aliases: [],
    endpoints,
  };
}

/** A member's key with no limits, unless `limits` sets some. */
export function testPrincipal(limits: Partial<Principal> = {}): Principal {
  return {
    keyId: "key_1",
    keyName: "test",
    userId: "user_1",
    role: "member",
    expiresAt: null,
    defaultFallbackModel: null,
    storeContent: false,
    accountRpmLimit: null,
    accountTpmLimit: null,
    allowedModels: null,
    spendLimitTotalNanoUsd: null,
    spendLimitDayNanoUsd: null,
    spendLimitMonthNanoUsd: null,
    rpmLimit: null,
    tpmLimit: null,
    ...limits,
  };
}
