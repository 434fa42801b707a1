import { describe, expect, it } from "vitest";
import type { CatalogSnapshot, EndpointView, ModelView, ProviderView } from "../gateway/catalog-view/catalog-types";
import { exampleModel, FALLBACK_EXAMPLE_SLUG } from "./example-model";

const provider = (slug: string, enabled = true): ProviderView => ({
  id: slug,
  slug,
  name: slug,
  adapter: "openai",
  baseUrl: `https://${slug}.example/v1`,
  apiKeyEnv: null,
  enabled,
});
const endpoint = (p: ProviderView, enabled = true): EndpointView => ({
  id: `${p.slug}-e`,
  slug: `${p.slug}/e`,
  name: "e",
  provider: p,
  upstreamModel: "m",
  contextLength: 1000,
  maxOutput: 100,
  supportedParameters: [],
  enabled,
  pricings: {},
});
const model = (slug: string, endpoints: EndpointView[], extra: Partial<ModelView> = {}): ModelView => ({
  id: slug,
  slug,
  vendor: slug.split("/")[0],
  displayName: slug,
  description: "",
  inputModalities: ["text"],
  outputModalities: ["text"],
  capabilities: { tools: true, vision: false, reasoning: false, json: true },
  contextLength: 128_000,
  maxOutput: 4096,
  releasedAt: null,
  addedAt: new Date("2026-01-01T00:00:00Z"),
  enabled: true,
  aliases: [],
  endpoints,
  ...extra,
});
const snapshotOf = (models: ModelView[]): CatalogSnapshot => ({ loadedAt: new Date(), providers: [], models });

const keyed = provider("keyed");
const keyed2 = provider("keyed2");
const bare = provider("bare");
const withKey = new Set(["keyed", "keyed2"]);
const hasCredential = (p: ProviderView) => withKey.has(p.slug);

describe("the model the landing and docs snippets call", () => {
  it("is a chat model some provider with a credential serves, the one with the most such providers", () => {
    const snapshot = snapshotOf([
      model("a/no-key", [endpoint(bare)]),
      model("b/one", [endpoint(keyed), endpoint(bare)]),
      model("c/two", [endpoint(keyed), endpoint(keyed2)]),
      model("d/embed", [endpoint(keyed), endpoint(keyed2)], { outputModalities: ["embedding"] }),
    ]);
    expect(exampleModel(snapshot, hasCredential)).toEqual({ slug: "c/two", callable: true });
  });

  it("skips disabled models, endpoints and providers, and breaks ties by slug", () => {
    const snapshot = snapshotOf([
      model("z/one", [endpoint(keyed)]),
      model("y/off", [endpoint(keyed), endpoint(keyed2)], { enabled: false }),
      model("x/endpoint-off", [endpoint(keyed, false), endpoint(keyed2, false), endpoint(bare)]),
      model("w/provider-off", [endpoint(provider("keyed", false)), endpoint(bare)]),
      model("m/one", [endpoint(keyed2)]),
    ]);
    expect(exampleModel(snapshot, hasCredential)).toEqual({ slug: "m/one", callable: true });
  });

  it("says when nothing is callable, and names a model of the catalog if there is one", () => {
    expect(exampleModel(snapshotOf([model("b/x", [endpoint(bare)]), model("a/y", [endpoint(bare)])]), hasCredential)).toEqual({ slug: "a/y", callable: false });
    expect(exampleModel(snapshotOf([]), hasCredential)).toEqual({ slug: FALLBACK_EXAMPLE_SLUG, callable: false });
  });
});
