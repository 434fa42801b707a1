import { describe, expect, it } from "vitest";
import { modelSchema, type CatalogModel } from "../catalog-schema";
import { catalogModelToForm, emptyModelForm, formToCatalogModel, groupFieldErrors, priceRowIndexes } from "./model-form";

const tiered: CatalogModel = {
  id: "acme/tiered",
  name: "Acme Tiered",
  description: "Long context",
  contextLength: 1_000_000,
  maxOutput: 8192,
  inputModalities: ["text", "image"],
  outputModalities: ["text"],
  capabilities: { tools: true, vision: true, reasoning: false, json: true },
  aliases: ["tiered", "acme-tiered"],
  endpoints: [
    {
      provider: "acme",
      name: "acme_tiered",
      upstreamModel: "tiered-1",
      contextLength: 500_000,
      enabled: false,
      supportedParameters: ["tools"],
      priceSource: { url: "https://acme.example/pricing", date: "2026-01-02" },
      pricings: {
        prompt: [
          { value: 1.25, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 0, lte: 200 } } },
          { value: 2.5, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gt: 200 } } },
        ],
        completion: [{ value: 10, unit: "perMTokens", currency: "USD" }],
        request: [{ value: 0.01, unit: "perCount", currency: "USD" }],
      },
    },
  ],
};

describe("model form", () => {
  it("round-trips a tiered catalog model exactly (gt/lte bounds, disabled endpoint, carried fields)", () => {
    const form = catalogModelToForm(tiered);
    expect(form.aliases).toBe("tiered, acme-tiered");
    expect(form.endpoints[0].prices).toHaveLength(4);
    expect(form.endpoints[0].prices[1]).toMatchObject({ item: "prompt", from: "200", fromOp: "gt", to: "" });
    expect(formToCatalogModel(form)).toEqual(tiered);
  });

  it("turns typed text into numbers and tiers into ZenMux conditions", () => {
    const form = emptyModelForm();
    form.id = " acme/new ";
    form.name = "New";
    form.contextLength = "32000";
    form.aliases = "new-one,  other ";
    form.endpoints[0] = { ...form.endpoints[0], provider: "acme", name: "acme_new", upstreamModel: "new" };
    form.endpoints[0].prices = [
      { item: "prompt", value: "1", unit: "perMTokens", from: "", fromOp: "gte", to: "128", toOp: "lt" },
      { item: "prompt", value: "2", unit: "perMTokens", from: "128", fromOp: "gte", to: "", toOp: "lt" },
      { item: "completion", value: "4.5", unit: "perMTokens", from: "", fromOp: "gte", to: "", toOp: "lt" },
    ];
    const model = formToCatalogModel(form);
    expect(model).toMatchObject({ id: "acme/new", contextLength: 32000, aliases: ["new-one", "other"] });
    expect(model).not.toHaveProperty("enabled");
    const parsed = modelSchema.parse(model);
    expect(parsed.endpoints[0].pricings.prompt).toEqual([
      { value: 1, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 0, lt: 128 } } },
      { value: 2, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 128 } } },
    ]);
    expect(parsed.endpoints[0].pricings.completion).toEqual([{ value: 4.5, unit: "perMTokens", currency: "USD" }]);
  });

  it("sends what it cannot parse as typed, so the schema names the field", () => {
    const form = emptyModelForm();
    form.contextLength = "lots";
    form.endpoints[0].prices[0].value = "-1";
    const model = formToCatalogModel(form) as { contextLength: unknown; endpoints: { pricings: { prompt: { value: unknown }[] } }[] };
    expect(model.contextLength).toBe("lots");
    expect(model.endpoints[0].pricings.prompt[0].value).toBe(-1);
    const result = modelSchema.safeParse(model);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join("."));
    expect(paths).toContain("contextLength");
    expect(paths).toContain("endpoints.0.pricings.prompt.0.value");
  });

  it("finds the form rows a server error names", () => {
    const rows = catalogModelToForm(tiered).endpoints[0].prices;
    expect(priceRowIndexes(rows, "prompt", 1)).toEqual([1]);
    expect(priceRowIndexes(rows, "prompt", null)).toEqual([0, 1]);
    expect(priceRowIndexes(rows, "request", 0)).toEqual([3]);
  });
});

describe("groupFieldErrors", () => {
  it("puts each server message next to its input", () => {
    const form = catalogModelToForm(tiered);
    const errors = groupFieldErrors(
      {
        id: "duplicate",
        "aliases.0": "taken",
        "endpoints.0.provider": 'unknown provider "x"',
        "endpoints.0.pricings.prompt.1.value": "a price cannot be negative",
        "endpoints.0.pricings.prompt": "tiers overlap",
        "endpoints.0.pricings": "prompt and completion prices are required",
        "": "the catalog file is invalid",
      },
      form,
    );
    expect(errors.model).toEqual({ id: "duplicate", aliases: "taken" });
    expect(errors.endpoints[0].fields).toEqual({ provider: 'unknown provider "x"' });
    expect(errors.endpoints[0].rows).toEqual({ 0: "tiers overlap", 1: "a price cannot be negative" });
    expect(errors.endpoints[0].pricing).toEqual(["prompt: tiers overlap", "prompt and completion prices are required"]);
    expect(errors.other).toEqual(["the catalog file is invalid"]);
  });
});
