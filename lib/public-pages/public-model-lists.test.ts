import { describe, expect, it } from "vitest";
import { anthropicModelListSchema, zenMuxModelListSchema } from "@/tests/support/model-list-shapes";
import type { Price } from "../gateway/metering/price-schema";
import type { CatalogSnapshot, EndpointView, ModelView, ProviderView } from "../gateway/catalog-view/catalog-types";
import { findListedModel, representativeEndpoint, toAnthropicModel, toAnthropicModelList, toZenMuxModel, toZenMuxModelList } from "./public-model-lists";

const usd = (value: number, conditions?: Price["conditions"]): Price => ({ value, unit: "perMTokens", currency: "USD", ...(conditions ? { conditions } : {}) });
const provider = (slug: string, enabled = true): ProviderView => ({
  id: slug,
  slug,
  name: slug,
  adapter: "openai",
  baseUrl: `https://${slug}.example/v1`,
  apiKeyEnv: null,
  enabled,
});
const endpoint = (p: ProviderView, prompt: number, completion: number, enabled = true): EndpointView => ({
  id: `${p.slug}-e`,
  slug: `${p.slug}/e`,
  name: "e",
  provider: p,
  upstreamModel: "m",
  contextLength: 1000,
  maxOutput: 100,
  supportedParameters: [],
  enabled,
  pricings: { prompt: [usd(prompt)], completion: [usd(completion)] },
});
const model = (slug: string, endpoints: EndpointView[], extra: Partial<ModelView> = {}): ModelView => ({
  id: slug,
  slug,
  vendor: slug.split("/")[0],
  displayName: `Model ${slug}`,
  description: "",
  inputModalities: ["text", "image"],
  outputModalities: ["text"],
  capabilities: { tools: true, vision: true, reasoning: false, json: true },
  contextLength: 128_000,
  maxOutput: 4096,
  releasedAt: new Date("2025-09-29T00:00:00Z"),
  addedAt: new Date("2026-01-01T00:00:00Z"),
  enabled: true,
  aliases: [],
  endpoints,
  ...extra,
});

const cheap = provider("cheap");
const dear = provider("dear");
const off = provider("off", false);
const snapshot: CatalogSnapshot = {
  loadedAt: new Date(),
  providers: [cheap, dear, off],
  models: [
    model("acme/alpha", [endpoint(dear, 3, 15), endpoint(cheap, 1, 5)]),
    model("acme/beta", [endpoint(cheap, 0.5, 1.5)], { releasedAt: null }),
    model("acme/hidden", [endpoint(cheap, 1, 1)], { enabled: false }),
    model("acme/orphan", [endpoint(off, 1, 1), endpoint(cheap, 1, 1, false)]),
    model("acme/gamma", [endpoint(cheap, 2, 2)], { aliases: ["gamma-latest"] }),
    model("other/gamma", [endpoint(cheap, 2, 2)]),
  ],
};

describe("GET /api/v1/models body (ZenMux shape)", () => {
  const list = toZenMuxModelList(snapshot);

  it("matches the documented schema", () => {
    expect(zenMuxModelListSchema.safeParse(list).error).toBeUndefined();
  });

  it("lists only enabled models with a usable endpoint, in catalog order", () => {
    expect(list.data.map((m) => m.id)).toEqual(["acme/alpha", "acme/beta", "acme/gamma", "other/gamma"]);
  });

  it("shows the cheapest usable endpoint's prices", () => {
    expect(list.data[0].pricings.prompt).toEqual([usd(1)]);
    expect(list.data[0].pricings.completion).toEqual([usd(5)]);
  });

  it("dates a model by its release, else by when it joined the catalog", () => {
    expect(list.data[0].created).toBe(Date.parse("2025-09-29T00:00:00Z") / 1000);
    expect(list.data[1].created).toBe(Date.parse("2026-01-01T00:00:00Z") / 1000);
  });

  it("keeps tier conditions exactly as the catalog wrote them", () => {
    const tiers = [usd(1.25, { prompt_tokens: { unit: "kTokens", gte: 0, lt: 200 } }), usd(2.5, { prompt_tokens: { unit: "kTokens", gte: 200 } })];
    const tiered = model("acme/tiered", [{ ...endpoint(cheap, 0, 0), pricings: { prompt: tiers, completion: [usd(10)] } }]);
    const body = toZenMuxModelList({ ...snapshot, models: [tiered] });
    expect(body.data[0].pricings.prompt).toEqual(tiers);
  });
});

describe("GET /api/anthropic/v1/models body (Anthropic shape)", () => {
  it("matches the documented schema with RFC 3339 created_at", () => {
    const body = toAnthropicModelList(snapshot);
    expect(anthropicModelListSchema.safeParse(body).error).toBeUndefined();
    expect(body.data[0].created_at).toBe("2025-09-29T00:00:00Z");
    expect(body).toMatchObject({ has_more: false, first_id: "acme/alpha", last_id: "other/gamma" });
    expect(body.data[0]).toMatchObject({ max_input_tokens: 128_000, max_tokens: 4096 });
  });

  it("pages with limit and after_id / before_id like Anthropic's API", () => {
    const first = toAnthropicModelList(snapshot, { limit: 2 });
    expect(first.data.map((m) => m.id)).toEqual(["acme/alpha", "acme/beta"]);
    expect(first.has_more).toBe(true);
    const second = toAnthropicModelList(snapshot, { limit: 2, afterId: first.last_id! });
    expect(second.data.map((m) => m.id)).toEqual(["acme/gamma", "other/gamma"]);
    expect(second.has_more).toBe(false);
    const before = toAnthropicModelList(snapshot, { limit: 1, beforeId: "acme/gamma" });
    expect(before.data.map((m) => m.id)).toEqual(["acme/beta"]);
  });
});

describe("GET …/models/{id}: one listed model", () => {
  it("finds a model by slug, alias or unambiguous bare name, and answers with its own slug", () => {
    expect(findListedModel(snapshot, "acme/alpha")?.slug).toBe("acme/alpha");
    expect(findListedModel(snapshot, "gamma-latest")?.slug).toBe("acme/gamma");
    expect(findListedModel(snapshot, "beta")?.slug).toBe("acme/beta");
    expect(toZenMuxModel(findListedModel(snapshot, "gamma-latest")!).id).toBe("acme/gamma");
  });

  it("finds nothing a client could not call: unknown, ambiguous, disabled, or without a usable endpoint", () => {
    for (const reference of ["acme/nope", "gamma", "acme/hidden", "acme/orphan", ""]) expect(findListedModel(snapshot, reference), reference).toBeNull();
  });

  it("gives the list's item shapes", () => {
    const alpha = findListedModel(snapshot, "acme/alpha")!;
    expect(toZenMuxModel(alpha)).toEqual(toZenMuxModelList(snapshot).data[0]);
    expect(toAnthropicModel(alpha)).toEqual(toAnthropicModelList(snapshot).data[0]);
  });
});

describe("representativeEndpoint", () => {
  it("ignores disabled endpoints and providers", () => {
    const m = model("acme/x", [endpoint(off, 0.01, 0.01), endpoint(cheap, 0.02, 0.02, false), endpoint(dear, 5, 5)]);
    expect(representativeEndpoint(m).provider.slug).toBe("dear");
  });
});
