import { describe, expect, it } from "vitest";
import type { Price } from "../gateway/metering/price-schema";
import type { EndpointView, ModelView, ProviderView } from "../gateway/catalog-view/catalog-types";
import { availabilityOf, buildModelRow, type EndpointFigures } from "./model-browser";

const usd = (value: number, conditions?: Price["conditions"]): Price => ({ value, unit: "perMTokens", currency: "USD", ...(conditions ? { conditions } : {}) });
const provider = (slug: string, enabled = true): ProviderView => ({
  id: slug,
  slug,
  name: `Provider ${slug}`,
  adapter: "openai",
  baseUrl: `https://${slug}.example/v1`,
  apiKeyEnv: null,
  enabled,
});
const endpoint = (p: ProviderView, prompt: Price[], completion: Price[], enabled = true): EndpointView => ({
  id: `${p.slug}-e`,
  slug: `${p.slug}/e`,
  name: "e",
  provider: p,
  upstreamModel: "m",
  contextLength: 1000,
  maxOutput: 100,
  supportedParameters: [],
  enabled,
  pricings: { prompt, completion },
});
const model = (endpoints: EndpointView[], extra: Partial<ModelView> = {}): ModelView => ({
  id: "m1",
  slug: "acme/alpha",
  vendor: "acme",
  displayName: "Acme: Alpha",
  description: "",
  inputModalities: ["text", "image"],
  outputModalities: ["text"],
  capabilities: { tools: true, vision: true, reasoning: false, json: true },
  contextLength: 128_000,
  maxOutput: 4096,
  releasedAt: null,
  addedAt: new Date("2026-01-01T00:00:00Z"),
  enabled: true,
  aliases: ["alpha"],
  endpoints,
  ...extra,
});

const idle: EndpointFigures = { requests: 0, successRate: null, ttftP50Ms: null, circuit: "closed" };
const seen = (successRate: number, extra: Partial<EndpointFigures> = {}): EndpointFigures => ({
  requests: 20,
  successRate,
  ttftP50Ms: 300,
  circuit: "closed",
  ...extra,
});
const noStats = () => idle;

describe("availabilityOf", () => {
  it("says nothing (unknown) while no endpoint has traffic", () => {
    expect(availabilityOf([idle, idle])).toBe("unknown");
  });

  it("is up when one endpoint succeeds at least 95% with its circuit closed", () => {
    expect(availabilityOf([seen(0.95), seen(0.2)])).toBe("up");
    expect(availabilityOf([seen(1), idle])).toBe("up");
  });

  it("is not up on a good rate behind an open or half-open circuit", () => {
    expect(availabilityOf([seen(0.97, { circuit: "half_open" })])).toBe("degraded");
    expect(availabilityOf([seen(0.97, { circuit: "open" }), seen(0.8)])).toBe("degraded");
  });

  it("is degraded when endpoints work but none is healthy, or one untried endpoint remains", () => {
    expect(availabilityOf([seen(0.9)])).toBe("degraded");
    expect(availabilityOf([seen(0.1), idle])).toBe("degraded");
  });

  it("is down when every endpoint's circuit is open or its success rate is very low", () => {
    expect(availabilityOf([seen(0.5, { circuit: "open" }), { ...idle, circuit: "open" }])).toBe("down");
    expect(availabilityOf([seen(0.3), seen(0.1, { circuit: "open" })])).toBe("down");
  });
});

describe("buildModelRow", () => {
  const cheap = provider("cheap");
  const dear = provider("dear");
  const off = provider("off", false);

  it("copies what the list shows and counts providers among usable endpoints only", () => {
    const row = buildModelRow(
      model([endpoint(dear, [usd(3)], [usd(15)]), endpoint(cheap, [usd(1)], [usd(5)]), endpoint(off, [usd(0.1)], [usd(0.1)])]),
      noStats,
    );
    expect(row).toMatchObject({
      slug: "acme/alpha",
      vendor: "acme",
      vendorName: "Acme",
      displayName: "Acme: Alpha",
      aliases: ["alpha"],
      contextLength: 128_000,
      inputModalities: ["text", "image"],
    });
    expect(row.providers).toEqual([
      { slug: "dear", name: "Provider dear" },
      { slug: "cheap", name: "Provider cheap" },
    ]);
  });

  it("leaves a provider without a credential out of the provider count and the lowest price", () => {
    const keyless = provider("keyless");
    const configured = (p: ProviderView) => p.slug !== "keyless";
    const row = buildModelRow(model([endpoint(dear, [usd(3)], [usd(15)]), endpoint(keyless, [usd(0.2)], [usd(0.4)])]), noStats, undefined, configured);
    expect(row.providers).toEqual([{ slug: "dear", name: "Provider dear" }]);
    expect(row.inputPrice).toEqual({ usdPerMillion: 3, tiered: false });
    expect(row.outputPrice).toEqual({ usdPerMillion: 15, tiered: false });
    // With no configured provider at all, the row still says what the model would cost.
    const none = buildModelRow(model([endpoint(keyless, [usd(0.2)], [usd(0.4)])]), noStats, undefined, () => false);
    expect(none.inputPrice).toEqual({ usdPerMillion: 0.2, tiered: false });
  });

  it("takes the lowest input and the lowest output price separately, ignoring disabled providers", () => {
    const row = buildModelRow(
      model([endpoint(dear, [usd(0.5)], [usd(15)]), endpoint(cheap, [usd(1)], [usd(5)]), endpoint(off, [usd(0.1)], [usd(0.1)])]),
      noStats,
    );
    expect(row.inputPrice).toEqual({ usdPerMillion: 0.5, tiered: false });
    expect(row.outputPrice).toEqual({ usdPerMillion: 5, tiered: false });
  });

  it("shows the base tier of a tiered price, whatever the tiers' order, and says it is tiered", () => {
    const tiers = [usd(6, { prompt_tokens: { unit: "kTokens", gt: 200 } }), usd(3, { prompt_tokens: { unit: "kTokens", gte: 0, lte: 200 } })];
    const row = buildModelRow(model([endpoint(cheap, tiers, [usd(15)])]), noStats);
    expect(row.inputPrice).toEqual({ usdPerMillion: 3, tiered: true });
    expect(row.outputPrice).toEqual({ usdPerMillion: 15, tiered: false });
  });

  it("has no price for a fee item no endpoint prices per token", () => {
    const perCall: Price = { value: 0.01, unit: "perCount", currency: "USD" };
    expect(buildModelRow(model([endpoint(cheap, [perCall], [usd(1)])]), noStats).inputPrice).toBeNull();
  });

  it("reads each usable endpoint's stats once, by id, for availability and the best TTFT", () => {
    const asked: string[] = [];
    const figures: Record<string, EndpointFigures> = { "dear-e": seen(1, { ttftP50Ms: 900 }), "cheap-e": seen(0.96, { ttftP50Ms: 250 }) };
    const row = buildModelRow(model([endpoint(dear, [usd(3)], [usd(15)]), endpoint(cheap, [usd(1)], [usd(5)]), endpoint(off, [usd(1)], [usd(1)])]), (id) => {
      asked.push(id);
      return figures[id] ?? idle;
    });
    expect(asked).toEqual(["dear-e", "cheap-e"]);
    expect(row.availability).toBe("up");
    expect(row.ttftP50Ms).toBe(250);
  });

  it("prefers the TTFT of endpoints that are reachable, and has none without data", () => {
    const figures: Record<string, EndpointFigures> = { "dear-e": seen(0.9, { ttftP50Ms: 900 }), "cheap-e": seen(0.2, { ttftP50Ms: 100, circuit: "open" }) };
    const endpoints = [endpoint(dear, [usd(3)], [usd(15)]), endpoint(cheap, [usd(1)], [usd(5)])];
    expect(buildModelRow(model(endpoints), (id) => figures[id]).ttftP50Ms).toBe(900);
    const row = buildModelRow(model(endpoints), noStats);
    expect(row.ttftP50Ms).toBeNull();
    expect(row.availability).toBe("unknown");
  });

  it("falls back to the vendor slug when the display name has no vendor prefix", () => {
    expect(buildModelRow(model([endpoint(cheap, [usd(1)], [usd(1)])], { displayName: "Alpha" }), noStats).vendorName).toBe("acme");
  });
});

describe("figures with a fallback window", () => {
  const p = provider("p");
  const m = model([endpoint(p, [usd(1)], [usd(2)])]);
  const quiet = { requests: 0, successRate: null, ttftP50Ms: null };

  it("uses the last 5 minutes when they had traffic", () => {
    const row = buildModelRow(
      m,
      () => seen(1, { ttftP50Ms: 120 }),
      () => ({ hour: { requests: 50, successRate: 0.5, ttftP50Ms: 900 }, day: quiet }),
    );
    expect(row).toMatchObject({ statsWindow: "5m", ttftP50Ms: 120, availability: "up" });
  });

  it("falls back to the last hour, then the last day, and says so", () => {
    const hour = buildModelRow(
      m,
      () => idle,
      () => ({ hour: { requests: 12, successRate: 1, ttftP50Ms: 450 }, day: { requests: 40, successRate: 0.2, ttftP50Ms: 2000 } }),
    );
    expect(hour).toMatchObject({ statsWindow: "1h", ttftP50Ms: 450, availability: "up" });
    const day = buildModelRow(
      m,
      () => idle,
      () => ({ hour: quiet, day: { requests: 40, successRate: 0.8, ttftP50Ms: 2000 } }),
    );
    expect(day).toMatchObject({ statsWindow: "24h", ttftP50Ms: 2000, availability: "degraded" });
  });

  it("keeps the current circuit whatever the window, and says no data without traffic in a day", () => {
    const open = buildModelRow(
      m,
      () => ({ ...idle, circuit: "open" }),
      () => ({ hour: { requests: 3, successRate: 1, ttftP50Ms: 300 }, day: quiet }),
    );
    expect(open.availability).toBe("down");
    expect(
      buildModelRow(
        m,
        () => idle,
        () => ({ hour: quiet, day: quiet }),
      ),
    ).toMatchObject({ statsWindow: null, availability: "unknown", ttftP50Ms: null });
  });
});
