import { describe, expect, it } from "vitest";
import { ValidationError } from "../../errors/validation-error";
import type { CatalogModel } from "../catalog-schema";
import { diffCatalogModels, planCatalogImport } from "./catalog-diff";
import { applyModelEdit, importErrorsToFields, type CatalogDocument } from "./catalog-edit";

const price = (value: number) => [{ value, unit: "perMTokens" as const, currency: "USD" as const }];
const model = (id: string, extra: Partial<CatalogModel> = {}): CatalogModel => ({
  id,
  name: id,
  contextLength: 8000,
  endpoints: [{ provider: "acme", name: `${id.split("/")[1]}_ep`, upstreamModel: "up", pricings: { prompt: price(1), completion: price(2) } }],
  ...extra,
});
const document = (): CatalogDocument => ({
  providers: [{ slug: "acme", name: "Acme", adapter: "openai", baseUrl: "https://api.acme.example/v1" }],
  models: [model("acme/one", { aliases: ["one"] }), model("acme/two")],
});

function fieldsOf(run: () => unknown): Record<string, string> {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("applyModelEdit", () => {
  it("appends a new model and replaces an edited one in place", () => {
    const created = applyModelEdit(document(), model("acme/three"), null);
    expect(created.catalog.models.map((m) => m.id)).toEqual(["acme/one", "acme/two", "acme/three"]);
    const edited = applyModelEdit(document(), model("acme/one", { name: "Renamed" }), "acme/one");
    expect(edited.catalog.models.map((m) => m.name)).toEqual(["Renamed", "acme/two"]);
    expect(edited.model.name).toBe("Renamed");
  });

  it("puts each kind of bad input on the field that caused it", () => {
    const negative = model("acme/three");
    negative.endpoints[0].pricings.prompt = price(-1);
    expect(fieldsOf(() => applyModelEdit(document(), negative, null))).toEqual({ "endpoints.0.pricings.prompt.0.value": "a price cannot be negative" });

    const overlapping = model("acme/three");
    overlapping.endpoints[0].pricings.prompt = [
      { value: 1, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 0, lt: 200 } } },
      { value: 2, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 100 } } },
    ];
    expect(fieldsOf(() => applyModelEdit(document(), overlapping, null))).toEqual({ "endpoints.0.pricings.prompt": "tiers overlap" });

    const gap = structuredClone(overlapping);
    gap.endpoints[0].pricings.prompt![1].conditions!.prompt_tokens!.gte = 300;
    expect(fieldsOf(() => applyModelEdit(document(), gap, null))).toEqual({ "endpoints.0.pricings.prompt": "tiers leave a gap" });

    const orphan = model("acme/three");
    orphan.endpoints[0].provider = "nowhere";
    expect(fieldsOf(() => applyModelEdit(document(), orphan, null))).toEqual({ "endpoints.0.provider": 'unknown provider "nowhere"' });

    expect(fieldsOf(() => applyModelEdit(document(), model("acme/two"), null))).toMatchObject({ id: 'duplicate model "acme/two"' });
    expect(fieldsOf(() => applyModelEdit(document(), model("acme/three", { aliases: ["one"] }), null))).toEqual({
      "aliases.0": 'alias "one" already belongs to acme/one',
    });
    // The new id clashes with another model's alias: reported on the id, not on the other model.
    expect(fieldsOf(() => applyModelEdit({ ...document(), models: [model("acme/one", { aliases: ["acme/x"] })] }, model("acme/x"), null))).toMatchObject({
      id: expect.stringContaining("is also a model id"),
    });
    const sameEndpoint = model("acme/three");
    sameEndpoint.endpoints[0].name = "one_ep";
    expect(fieldsOf(() => applyModelEdit(document(), sameEndpoint, null))).toEqual({ "endpoints.0.name": 'duplicate endpoint "acme/one_ep"' });
  });

  it("reports a non-object body and missing fields by name", () => {
    expect(fieldsOf(() => applyModelEdit(document(), { id: "acme/x" }, null))).toMatchObject({
      name: expect.any(String),
      contextLength: expect.any(String),
      endpoints: expect.any(String),
    });
  });
});

describe("importErrorsToFields", () => {
  it("keys the loader's lines by their path", () => {
    expect(importErrorsToFields(['models[3].endpoints[0].provider: unknown provider "x"', "not valid JSON: x at line 1, column 2"])).toEqual({
      "models[3].endpoints[0].provider": 'unknown provider "x"',
      "not valid JSON": "x at line 1, column 2",
    });
  });
});

describe("catalog diff", () => {
  it("lists changed paths, treating defaults as equal", () => {
    const before = model("acme/one", { aliases: ["b", "a"] });
    expect(diffCatalogModels(before, { ...before, enabled: true, aliases: ["a", "b"] })).toEqual([]);
    const after = structuredClone(before);
    after.endpoints[0].pricings.prompt = price(3);
    after.enabled = false;
    expect(diffCatalogModels(before, after).sort()).toEqual(["enabled", "endpoints[0].pricings.prompt[0].value"]);
    expect(diffCatalogModels(null, after)).toEqual(["(new model)"]);
  });

  it("plans an import: created, updated, unchanged and missing models", () => {
    const current = [model("acme/one"), model("acme/two"), model("acme/gone")];
    const changed = model("acme/two", { name: "Two" });
    expect(planCatalogImport(current, [model("acme/one"), changed, model("acme/new")])).toEqual({
      created: ["acme/new"],
      updated: ["acme/two"],
      unchanged: ["acme/one"],
      missing: ["acme/gone"],
    });
  });
});
