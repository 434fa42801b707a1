/**
 * Fake ports for in-process tests of the core (generation-handler.test.ts,
 * stream-relay.test.ts): one model on OpenAI-kind providers at simple per-million prices,
 * a caller, a billing port that records what it is asked, and the rest of GatewayDeps as
 * plain defaults a test overrides.
 */
import type { EndpointView, ModelView, ProviderView } from "../catalog-view/catalog-types.ts";
import { EndpointHealth } from "../health/endpoint-health.ts";
import type { BillingPort } from "../ports/billing.ts";
import type { GatewayDeps, GenerationRecord, IdempotencyStore } from "../ports/gateway-deps.ts";
import type { RateCounter } from "../ports/rate-counter.ts";
import type { Principal } from "../principal.ts";

export const TEST_NOW = 1_700_000_000_000;

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
    membershipId: null,
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

/** A billing port that holds (or refuses with "balance") and records every reserve and settle; `log` orders calls across ports. */
export function recordingBilling(options: { refuseHold?: boolean; log?: string[]; available?: bigint } = {}) {
  const reserves: Parameters<BillingPort["reserve"]>[0][] = [];
  const settles: Parameters<BillingPort["settle"]>[0][] = [];
  const billing: BillingPort = {
    async reserve(input) {
      options.log?.push("reserve");
      reserves.push(input);
      return options.refuseHold ? { ok: false, refusedBy: "balance" } : { ok: true };
    },
    async settle(input) {
      options.log?.push("settle");
      settles.push(input);
      return { settled: true };
    },
    checkpoint: async () => undefined,
    available: async () => options.available ?? 0n,
  };
  return { billing, reserves, settles };
}

/** A counter with room for everything (rate limits are not under test). */
export const UNLIMITED_COUNTER: RateCounter = { add: async () => ({ total: 1, resetInMs: 60_000 }), remove: async () => undefined };

/** Idempotency-Key claims that always succeed and keep nothing. */
export const NO_IDEMPOTENCY: IdempotencyStore = {
  claim: async () => ({ claimed: true }),
  renew: async () => true,
  complete: async () => undefined,
  release: async () => undefined,
};

/**
 * GatewayDeps over `model`, authenticating every request as `principal`, with a fixed clock
 * and id, stream checkpoints off (only the final settlement is under test), and `records`
 * collecting what the sink is given. `overrides` replaces any port.
 */
export function testDeps(
  input: { model: ModelView; principal: Principal; id: string; billing: BillingPort; records: GenerationRecord[] } & Pick<GatewayDeps, "transport"> &
    Partial<GatewayDeps>,
): GatewayDeps {
  const { model, principal, id, records, ...overrides } = input;
  return {
    authenticate: async () => principal,
    catalog: async () => ({
      loadedAt: new Date(TEST_NOW),
      models: [model],
      providers: [...new Map(model.endpoints.map((e) => [e.provider.slug, e.provider])).values()],
    }),
    credentialFor: (provider: ProviderView) => `secret-${provider.slug}`,
    health: new EndpointHealth({ now: () => TEST_NOW }),
    sink: { record: (record) => records.push(record) },
    rateLimits: { counter: UNLIMITED_COUNTER, settings: async () => ({ account: { rpm: null, tpm: null }, families: [] }) },
    idempotency: NO_IDEMPOTENCY,
    config: { maxRequestBytes: 1024 * 1024, firstTokenTimeoutMs: 5_000, keepAliveIntervalMs: 60_000, streamCheckpointMs: 0 },
    now: () => TEST_NOW,
    newId: () => id,
    ...overrides,
  };
}
