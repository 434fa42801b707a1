import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "@/fake-upstream/server";
import type { CatalogSnapshot, EndpointView, ModelView, ProviderView } from "../catalog-view/catalog-types";
import { createUndiciTransport } from "../transport/undici-transport";
import { EndpointHealth } from "./endpoint-health";
import { runProbeRound, startHealthProbes } from "./health-probes";

function snapshotFor(fakeUrl: string): CatalogSnapshot {
  const provider = (slug: string, adapter: "openai" | "anthropic", path: string, apiKeyEnv: string | null = "KEY"): ProviderView => ({
    id: `p_${slug}`,
    slug,
    name: slug,
    adapter,
    baseUrl: `${fakeUrl}${path}`,
    apiKeyEnv,
    enabled: true,
  });
  const endpoint = (p: ProviderView, extra: Partial<EndpointView> = {}): EndpointView => ({
    id: `e_${p.slug}`,
    slug: `${p.slug}/ep`,
    name: "ep",
    provider: p,
    upstreamModel: "fake-model",
    contextLength: 8000,
    maxOutput: null,
    supportedParameters: [],
    enabled: true,
    pricings: { prompt: [{ value: 1, unit: "perMTokens", currency: "USD" }], completion: [{ value: 1, unit: "perMTokens", currency: "USD" }] },
    ...extra,
  });
  const providers = [
    provider("healthy", "openai", "/p/healthy/v1"),
    provider("native", "anthropic", "/p/native"),
    provider("down", "openai", "/p/down;failStatus=503/v1"),
    provider("nocred", "openai", "/p/nocred/v1", null),
    provider("off", "openai", "/p/off/v1"),
  ];
  const model: ModelView = {
    id: "m",
    slug: "t/m",
    vendor: "t",
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
    endpoints: [...providers.slice(0, 4).map((p) => endpoint(p)), endpoint(providers[4], { enabled: false })],
  };
  return { loadedAt: new Date(), models: [model], providers };
}

describe("health probes", () => {
  let fake: FakeUpstream;
  beforeAll(async () => {
    fake = await startFakeUpstream();
  });
  afterAll(async () => fake?.close());

  const deps = (health: EndpointHealth, enabled: boolean) => ({
    catalog: async () => snapshotFor(fake.url),
    settings: async () => ({ enabled, intervalMinutes: 10 }),
    credentialFor: (p: ProviderView) => (p.apiKeyEnv ? "probe-credential" : null),
    transport: createUndiciTransport({ connectTimeoutMs: 2000, idleTimeoutMs: 5000 }),
    health,
    timeoutMs: 5000,
  });

  it("sends one one-token request to each enabled endpoint with a credential and records them as probes", async () => {
    const health = new EndpointHealth();
    const before = fake.stats().total;
    const outcomes = await runProbeRound(deps(health, true));
    expect(outcomes.map((o) => [o.endpointId, o.ok, o.status]).sort()).toEqual([
      ["e_down", false, 503],
      ["e_healthy", true, 200],
      ["e_native", true, 200],
    ]);
    expect(fake.stats().total - before).toBe(3);
    expect(health.windows("e_healthy").hour).toMatchObject({ requests: 1, probes: 1, failures: 0 });
    expect(health.stats("e_healthy").ttftP50Ms).toBeGreaterThan(0);
    expect(health.windows("e_down").hour).toMatchObject({ requests: 1, probes: 1, failures: 1 });
    expect(health.windows("e_nocred").hour.requests).toBe(0);
  });

  it("probes an embedding model's endpoint with an embeddings call, and skips one whose protocol has none", async () => {
    const health = new EndpointHealth();
    const base = snapshotFor(fake.url);
    const [openai, anthropic] = [base.providers[0], base.providers[1]];
    const embed: ModelView = {
      ...base.models[0],
      id: "e",
      slug: "t/embed",
      outputModalities: ["embedding"],
      endpoints: [
        { ...base.models[0].endpoints[0], id: "e_embed", provider: { ...openai, slug: "embed-openai", baseUrl: `${fake.url}/p/embed-openai/v1` } },
        { ...base.models[0].endpoints[1], id: "e_embed_native", provider: anthropic },
      ],
    };
    const before = fake.stats().byProvider["embed-openai"]?.embeddings ?? 0;
    const outcomes = await runProbeRound({ ...deps(health, true), catalog: async () => ({ ...base, models: [embed] }) });
    expect(outcomes.map((o) => [o.endpointId, o.ok, o.status])).toEqual([["e_embed", true, 200]]);
    expect(fake.stats().byProvider["embed-openai"].embeddings - before).toBe(1);
  });

  it("opens a failing endpoint's circuit like traffic does", async () => {
    const health = new EndpointHealth();
    for (let i = 0; i < 5; i++) await runProbeRound(deps(health, true));
    expect(health.stats("e_down").circuit).toBe("open");
    expect(health.stats("e_healthy").circuit).toBe("closed");
  });

  it("sends nothing while the setting is off, and one round per interval when on", async () => {
    const off = startHealthProbes({ ...deps(new EndpointHealth(), false), checkEveryMs: 60_000 });
    const before = fake.stats().total;
    await off.check();
    expect(fake.stats().total).toBe(before);
    off.stop();
    const on = startHealthProbes({ ...deps(new EndpointHealth(), true), checkEveryMs: 60_000 });
    await on.check();
    await on.check(); // within the interval: no second round
    expect(fake.stats().total - before).toBe(3);
    on.stop();
  });
});
