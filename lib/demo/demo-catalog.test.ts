import { describe, expect, it } from "vitest";
import { catalogSchema } from "../catalog/catalog-schema";
import { buildDemoCatalog, DEMO_CHAT_MODEL, DEMO_CREDENTIAL_ENV, DEMO_FLAKY_PROVIDER } from "./demo-catalog";

describe("the demo catalog", () => {
  const catalog = buildDemoCatalog("http://127.0.0.1:4555/");

  it("is a valid catalog file", () => {
    const parsed = catalogSchema.safeParse(catalog);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it("has providers of every adapter kind, all on the fake with the demo credential", () => {
    expect(new Set(catalog.providers.map((p) => p.adapter))).toEqual(new Set(["openai", "anthropic", "responses", "gemini"]));
    for (const provider of catalog.providers) {
      expect(provider.baseUrl.startsWith(`http://127.0.0.1:4555/p/${provider.slug};`)).toBe(true);
      expect(provider.apiKeyEnv).toBe(DEMO_CREDENTIAL_ENV);
    }
  });

  it("serves the chat model over several providers, one flaky and one slow, so calls fail over and compare", () => {
    const chat = catalog.models.find((m) => m.id === DEMO_CHAT_MODEL)!;
    expect(chat.endpoints.length).toBeGreaterThanOrEqual(3);
    const baseUrl = (slug: string) => catalog.providers.find((p) => p.slug === slug)!.baseUrl;
    expect(chat.endpoints.map((e) => e.provider)).toContain(DEMO_FLAKY_PROVIDER);
    expect(baseUrl(DEMO_FLAKY_PROVIDER)).toContain(";failStatus=503;failTimes=");
    expect(chat.endpoints.map((e) => e.provider)).toContain("demo-slow");
    expect(baseUrl("demo-slow")).toMatch(/ttftMs=\d{4}/);
  });
});
