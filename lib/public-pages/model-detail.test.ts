import { describe, expect, it } from "vitest";
import { EndpointHealth } from "../gateway/health/endpoint-health";
import type { EndpointView, ModelView, ProviderView } from "../gateway/catalog-view/catalog-types";
import { describePrice, fastestProvider, modelPath, providerRows } from "./model-detail";

const provider = (slug: string): ProviderView => ({
  id: `p_${slug}`,
  slug,
  name: `Provider ${slug}`,
  adapter: slug === "native" ? "anthropic" : "openai",
  baseUrl: "http://x",
  apiKeyEnv: null,
  enabled: true,
});
const endpoint = (slug: string, extra: Partial<EndpointView> = {}): EndpointView => ({
  id: `e_${slug}`,
  slug: `${slug}/ep`,
  name: "ep",
  provider: provider(slug),
  upstreamModel: "m",
  contextLength: 128_000,
  maxOutput: 8192,
  supportedParameters: ["tools"],
  enabled: true,
  pricings: { prompt: [{ value: 1, unit: "perMTokens", currency: "USD" }], completion: [{ value: 2, unit: "perMTokens", currency: "USD" }] },
  ...extra,
});
const model = (endpoints: EndpointView[]): ModelView => ({
  id: "m",
  slug: "vendor/model",
  vendor: "vendor",
  displayName: "Model",
  description: "",
  inputModalities: ["text"],
  outputModalities: ["text"],
  capabilities: { tools: true, vision: false, reasoning: false, json: true },
  contextLength: 128_000,
  maxOutput: 8192,
  releasedAt: null,
  addedAt: new Date(0),
  enabled: true,
  aliases: [],
  endpoints,
});

describe("model detail", () => {
  it("spells out tiers with their prompt ranges", () => {
    expect(describePrice([{ value: 0.15, unit: "perMTokens", currency: "USD" }])).toBe("$0.15/M tokens");
    expect(describePrice([{ value: 0.01, unit: "perCount", currency: "USD" }])).toBe("$0.01/request");
    expect(
      describePrice([
        { value: 6, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gt: 200 } } },
        { value: 3, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 0, lte: 200 } } },
      ]),
    ).toBe("$3.00/M tokens (up to 200K prompt tokens); $6.00/M tokens (above 200K prompt tokens)");
  });

  it("reports no numbers without traffic, then the measured ones, fastest first", () => {
    const health = new EndpointHealth();
    const m = model([endpoint("slow"), endpoint("fast"), endpoint("native")]);
    const empty = providerRows(m, health);
    expect(empty.map((r) => r.providerSlug)).toEqual(["fast", "native", "slow"]);
    expect(empty[0]).toMatchObject({
      ttftP50Ms: null,
      throughputP50: null,
      availability: { fiveMinutes: null, hour: null, day: null },
      requestsLastDay: 0,
      circuit: "closed",
    });
    expect(fastestProvider(empty)).toBeNull();

    for (let i = 0; i < 5; i++) {
      health.recordSuccess("e_slow", { ttftMs: 400 });
      health.recordSuccess("e_fast", { ttftMs: 100 });
    }
    health.recordFailure("e_fast");
    const rows = providerRows(m, health);
    expect(rows.map((r) => r.providerSlug)).toEqual(["fast", "slow", "native"]);
    expect(rows[0].availability.fiveMinutes).toBeCloseTo(5 / 6, 10);
    expect(rows[1].ttftP50Ms).toBeGreaterThan(rows[0].ttftP50Ms!);
    expect(rows.find((r) => r.providerSlug === "native")!.nativeProtocol).toBe("Anthropic Messages");
    expect(fastestProvider(rows)).toBe("fast");
  });

  it("does not call a circuit-open or disabled provider the fastest", () => {
    const health = new EndpointHealth();
    for (let i = 0; i < 5; i++) health.recordSuccess("e_a", { ttftMs: 50 });
    for (let i = 0; i < 5; i++) health.recordSuccess("e_b", { ttftMs: 300 });
    for (let i = 0; i < 6; i++) health.recordFailure("e_a");
    expect(health.stats("e_a").circuit).toBe("open");
    expect(fastestProvider(providerRows(model([endpoint("a"), endpoint("b")]), health))).toBe("b");
    expect(fastestProvider(providerRows(model([endpoint("b", { enabled: false })]), health))).toBeNull();
  });

  it("marks an endpoint whose provider has no credential 'not configured', ranks it after the enabled ones and never calls it the fastest", () => {
    const health = new EndpointHealth();
    for (let i = 0; i < 5; i++) health.recordSuccess("e_a", { ttftMs: 50 });
    for (let i = 0; i < 5; i++) health.recordSuccess("e_b", { ttftMs: 300 });
    const rows = providerRows(model([endpoint("a"), endpoint("b"), endpoint("c", { enabled: false })]), health, (p) => p.slug !== "a");
    expect(rows.map((r) => [r.providerSlug, r.status])).toEqual([
      ["b", "enabled"],
      ["a", "not_configured"],
      ["c", "disabled"],
    ]);
    expect(fastestProvider(rows)).toBe("b");
  });

  it("builds the page address from the slug", () => {
    expect(modelPath("meta-llama/llama-3.3-70b-instruct")).toBe("/models/meta-llama/llama-3.3-70b-instruct");
  });
});
