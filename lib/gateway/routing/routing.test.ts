import { describe, expect, it } from "vitest";
import type { CatalogSnapshot, EndpointView, ModelView, ProviderView } from "../catalog-view/catalog-types";
import { EndpointHealth } from "../health/endpoint-health";
import type { RequestNeeds } from "./request-needs";
import { modelLookup, resolveModel } from "./resolve-model";
import { planRoute } from "./route-plan";
import { selectCandidates, type CandidateContext, type Strategy } from "./select-candidates";

const provider = (slug: string): ProviderView => ({
  id: slug,
  slug,
  name: slug,
  adapter: "openai",
  baseUrl: `https://${slug}.example/v1`,
  apiKeyEnv: `${slug.toUpperCase()}_KEY`,
  enabled: true,
});
const usd = (value: number, gte?: number, lt?: number) => ({
  value,
  unit: "perMTokens" as const,
  currency: "USD" as const,
  ...(gte !== undefined ? { conditions: { prompt_tokens: { unit: "kTokens" as const, gte, ...(lt !== undefined ? { lt } : {}) } } } : {}),
});
function endpoint(slug: string, prompt = 1, completion = 1, extra: Partial<EndpointView> = {}): EndpointView {
  return {
    id: slug,
    slug: `${slug}/ep`,
    name: "ep",
    provider: provider(slug),
    upstreamModel: "m",
    pricings: { prompt: [usd(prompt)], completion: [usd(completion)] },
    contextLength: 100_000,
    maxOutput: 4096,
    supportedParameters: [],
    enabled: true,
    ...extra,
  };
}
function model(slug: string, endpoints: EndpointView[], extra: Partial<ModelView> = {}): ModelView {
  return {
    id: slug,
    slug,
    vendor: slug.split("/")[0],
    displayName: slug,
    description: "",
    inputModalities: ["text"],
    outputModalities: ["text"],
    capabilities: { tools: true, vision: false, reasoning: false, json: true },
    contextLength: 100_000,
    maxOutput: 4096,
    releasedAt: null,
    addedAt: new Date(0),
    enabled: true,
    aliases: [],
    endpoints,
    ...extra,
  };
}
const needs = (extra: Partial<RequestNeeds> = {}): RequestNeeds => ({
  tools: false,
  images: false,
  json: false,
  estimatedPromptTokens: 100,
  maxOutputTokens: null,
  ...extra,
});

function context(health: EndpointHealth, extra: Partial<CandidateContext> = {}): CandidateContext {
  let turn = 0;
  return { needs: needs(), stats: (id) => health.stats(id), providerProblem: () => null, nextTurn: () => turn++, ...extra };
}
const slugs = (list: EndpointView[]) => list.map((e) => e.provider.slug);
const order = (m: ModelView, strategy: Strategy, ctx: CandidateContext, pin: string | null = null) => slugs(selectCandidates(m, pin, strategy, ctx).candidates);

function measured(samples: Record<string, { ttft: number; tps: number }>): EndpointHealth {
  const health = new EndpointHealth();
  for (const [id, { ttft, tps }] of Object.entries(samples)) for (let i = 0; i < 5; i++) health.recordSuccess(id, { ttftMs: ttft, tokensPerSecond: tps });
  return health;
}

describe("candidate ordering", () => {
  const m = model("acme/m", [endpoint("a", 3, 15), endpoint("b", 0.5, 1.5), endpoint("c", 1, 2)]);

  it("latency (default): lowest recent TTFT first once every endpoint is measured", () => {
    const health = measured({ a: { ttft: 900, tps: 50 }, b: { ttft: 200, tps: 20 }, c: { ttft: 500, tps: 90 } });
    expect(order(m, { kind: "latency" }, context(health))).toEqual(["b", "c", "a"]);
  });

  it("throughput: highest tokens per second first", () => {
    const health = measured({ a: { ttft: 900, tps: 50 }, b: { ttft: 200, tps: 20 }, c: { ttft: 500, tps: 90 } });
    expect(order(m, { kind: "throughput" }, context(health))).toEqual(["c", "a", "b"]);
  });

  it("price: cheapest prompt + completion at the tier the prompt size selects", () => {
    const tiered = endpoint("t", 0, 0, { pricings: { prompt: [usd(0.1, 0, 32), usd(9, 32)], completion: [usd(0.1, 0, 32), usd(9, 32)] } });
    const withTier = model("acme/t", [endpoint("a", 3, 15), endpoint("b", 0.5, 1.5), tiered]);
    expect(order(withTier, { kind: "price" }, context(new EndpointHealth()))).toEqual(["t", "b", "a"]);
    expect(order(withTier, { kind: "price" }, context(new EndpointHealth(), { needs: needs({ estimatedPromptTokens: 50_000 }) }))).toEqual(["b", "a", "t"]);
  });

  it("order: only the listed providers or endpoint slugs, in the listed order", () => {
    const ctx = context(new EndpointHealth());
    expect(order(m, { kind: "order", providers: ["c", "a"] }, ctx)).toEqual(["c", "a"]);
    expect(order(m, { kind: "order", providers: ["b/ep"] }, ctx)).toEqual(["b"]);
    const none = selectCandidates(m, null, { kind: "order", providers: ["zzz"] }, ctx);
    expect(none.candidates).toEqual([]);
    expect(none.excluded[0]).toMatch(/none of the listed providers/);
  });

  it("a pin keeps only that provider", () => {
    expect(order(m, { kind: "latency" }, context(new EndpointHealth()), "c")).toEqual(["c"]);
  });

  it("gives unmeasured endpoints a fair share of first places until they have numbers", () => {
    const health = measured({ a: { ttft: 100, tps: 10 }, b: { ttft: 200, tps: 10 } });
    const ctx = context(health);
    const firsts = Array.from({ length: 30 }, () => order(m, { kind: "latency" }, ctx)[0]);
    expect(firsts.filter((s) => s === "c")).toHaveLength(10);
    expect(firsts.filter((s) => s === "a")).toHaveLength(20);
  });

  it("puts circuit-open endpoints last", () => {
    const health = measured({ a: { ttft: 100, tps: 10 }, b: { ttft: 200, tps: 10 }, c: { ttft: 300, tps: 10 } });
    for (let i = 0; i < 5; i++) health.recordFailure("a");
    expect(order(m, { kind: "latency" }, context(health))).toEqual(["b", "c", "a"]);
  });

  it("filters by credential, enabled flags, tools, images, JSON mode and context length, saying why", () => {
    const rich = model("acme/r", [
      endpoint("nokey"),
      endpoint("off", 1, 1, { enabled: false }),
      endpoint("notools", 1, 1, { supportedParameters: ["temperature"] }),
      endpoint("small", 1, 1, { contextLength: 50 }),
      endpoint("ok", 1, 1, { supportedParameters: ["tools", "response_format"] }),
    ]);
    const ctx = context(new EndpointHealth(), {
      needs: needs({ tools: true, json: true, estimatedPromptTokens: 80 }),
      providerProblem: (p) => (p.slug === "nokey" ? "provider nokey has no credential configured (set NOKEY_KEY)" : null),
    });
    const selection = selectCandidates(rich, null, { kind: "latency" }, ctx);
    expect(slugs(selection.candidates)).toEqual(["ok"]);
    expect(selection.excluded).toEqual([
      "provider nokey has no credential configured (set NOKEY_KEY)",
      "off/ep is disabled",
      "notools/ep does not support tools",
      "small/ep has a 50-token context, the prompt needs about 80",
    ]);
    const textOnly = selectCandidates(m, null, { kind: "latency" }, context(new EndpointHealth(), { needs: needs({ images: true }) }));
    expect(textOnly.candidates).toEqual([]);
    expect(textOnly.excluded[0]).toBe("acme/m does not accept images");
  });
});

describe("model resolution", () => {
  const snapshot: CatalogSnapshot = {
    loadedAt: new Date(),
    providers: [],
    models: [
      model("openai/gpt-4o", [endpoint("a"), endpoint("azure")], { aliases: ["gpt4o-latest"] }),
      model("acme/chat", [endpoint("a")]),
      model("other/chat", [endpoint("a")]),
      model("acme/hidden", [endpoint("a")], { enabled: false }),
    ],
  };
  const lookup = modelLookup(snapshot);

  it("accepts slugs, aliases and unique bare names, with an optional :provider pin", () => {
    expect(resolveModel("openai/gpt-4o", lookup)).toMatchObject({ model: { slug: "openai/gpt-4o" }, pin: null });
    expect(resolveModel("gpt4o-latest", lookup).model.slug).toBe("openai/gpt-4o");
    expect(resolveModel("gpt-4o", lookup).model.slug).toBe("openai/gpt-4o");
    expect(resolveModel("openai/gpt-4o:azure", lookup)).toMatchObject({ model: { slug: "openai/gpt-4o" }, pin: "azure" });
    expect(resolveModel("gpt-4o:a", lookup).pin).toBe("a");
  });

  it("refuses unknown, disabled and ambiguous names with 404 invalid_model", () => {
    expect(() => resolveModel("nope/nope", lookup)).toThrow(expect.objectContaining({ status: 404, type: "invalid_model" }));
    expect(() => resolveModel("acme/hidden", lookup)).toThrow(/not valid/);
    expect(() => resolveModel("chat", lookup)).toThrow(/ambiguous: use one of acme\/chat, other\/chat/);
  });

  it("refuses a pin naming no provider of the model with 404 invalid_model, listing its providers", () => {
    expect(() => resolveModel("openai/gpt-4o:nosuch", lookup)).toThrow(
      expect.objectContaining({ status: 404, type: "invalid_model", message: "Model openai/gpt-4o has no provider nosuch: its providers are a, azure" }),
    );
    // An endpoint slug pins as well as a provider slug.
    expect(resolveModel("openai/gpt-4o:azure/ep", lookup).pin).toBe("azure/ep");
  });
});

describe("route plan", () => {
  const base = { model: "a/b" };
  it("maps provider.routing, zenmux-route and defaults onto one strategy", () => {
    expect(planRoute(base, null).strategy).toEqual({ kind: "latency" });
    expect(planRoute({ ...base, provider: { routing: { type: "priority", primary_factor: "throughput" } } }, null).strategy).toEqual({ kind: "throughput" });
    expect(planRoute({ ...base, "zenmux-route": { strategy: "cost" } }, null).strategy).toEqual({ kind: "price" });
    const single = planRoute({ ...base, provider: { routing: { type: "order", providers: ["x"] } } }, null);
    expect(single).toMatchObject({ strategy: { kind: "order", providers: ["x"] }, singleProvider: true });
  });

  it("orders fallbacks: provider.fallback, models[], zenmux-route, then the account's default, without repeats", () => {
    const plan = planRoute({ ...base, provider: { fallback: "f/1" }, models: ["a/b", "m/1", "f/1"], "zenmux-route": { fallback: ["z/1"] } }, "acct/1");
    expect(plan.fallbacks).toEqual(["f/1", "m/1", "z/1", "acct/1"]);
  });
});
