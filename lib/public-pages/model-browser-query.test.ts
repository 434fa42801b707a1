import { describe, expect, it } from "vitest";
import type { ModelRow } from "./model-browser";
import {
  browseModels,
  filterModelRows,
  isFiltered,
  modelBrowserFacets,
  parseModelBrowserQuery,
  sortModelRows,
  withModelBrowserParam,
  type ModelBrowserQuery,
} from "./model-browser-query";

const row = (slug: string, extra: Partial<ModelRow> = {}): ModelRow => ({
  slug,
  vendor: slug.split("/")[0],
  vendorName: slug.split("/")[0].toUpperCase(),
  displayName: slug,
  aliases: [],
  inputModalities: ["text"],
  outputModalities: ["text"],
  capabilities: { tools: false, vision: false, reasoning: false, json: false },
  contextLength: 128_000,
  inputPrice: { usdPerMillion: 1, tiered: false },
  outputPrice: { usdPerMillion: 2, tiered: false },
  providers: [{ slug: "p1", name: "Provider One" }],
  availability: "unknown",
  ttftP50Ms: null,
  statsWindow: null,
  ...extra,
});

const sonnet = row("anthropic/claude-sonnet-4.5", {
  displayName: "Anthropic: Claude Sonnet 4.5",
  vendorName: "Anthropic",
  aliases: ["claude-sonnet-4-5-20250929"],
  inputModalities: ["text", "image"],
  capabilities: { tools: true, vision: true, reasoning: true, json: true },
  contextLength: 1_000_000,
  inputPrice: { usdPerMillion: 3, tiered: true },
  outputPrice: { usdPerMillion: 15, tiered: true },
  providers: [{ slug: "anthropic", name: "Anthropic" }],
  ttftP50Ms: 800,
});
const mini = row("openai/gpt-4o-mini", {
  displayName: "OpenAI: GPT-4o Mini",
  vendorName: "OpenAI",
  aliases: ["gpt-4o-mini-2024-07-18"],
  inputModalities: ["text", "image", "file"],
  capabilities: { tools: true, vision: true, reasoning: false, json: true },
  inputPrice: { usdPerMillion: 0.15, tiered: false },
  outputPrice: { usdPerMillion: 0.6, tiered: false },
  providers: [{ slug: "openai", name: "OpenAI" }],
  ttftP50Ms: 300,
});
const llama = row("meta-llama/llama-3.1-8b-instruct", {
  displayName: "Meta: Llama 3.1 8B Instruct",
  vendorName: "Meta",
  contextLength: 131_072,
  capabilities: { tools: true, vision: false, reasoning: false, json: true },
  inputPrice: { usdPerMillion: 0.03, tiered: false },
  outputPrice: { usdPerMillion: 0.05, tiered: false },
  providers: [
    { slug: "groq", name: "Groq" },
    { slug: "deepinfra", name: "DeepInfra" },
  ],
});
const nano = row("openai/gpt-5-nano", {
  displayName: "OpenAI: GPT-5 Nano",
  vendorName: "OpenAI",
  contextLength: 400_000,
  capabilities: { tools: true, vision: true, reasoning: true, json: true },
  inputPrice: { usdPerMillion: 0.15, tiered: false },
  outputPrice: { usdPerMillion: 0.4, tiered: false },
  providers: [{ slug: "openai", name: "OpenAI" }],
  ttftP50Ms: 300,
});
const unpriced = row("acme/per-call", { displayName: "Acme: Per Call", inputPrice: null, outputPrice: null, contextLength: 8_000 });
const rows = [sonnet, mini, llama, nano, unpriced];

const query = (search: string) => parseModelBrowserQuery(new URLSearchParams(search), modelBrowserFacets(rows));
const slugs = (list: ModelRow[]) => list.map((r) => r.slug);

describe("parseModelBrowserQuery", () => {
  it("has defaults for an empty URL, which is not filtered", () => {
    const q = query("");
    expect(q).toEqual({
      q: "",
      vendor: null,
      provider: null,
      modality: null,
      capabilities: [],
      minContext: null,
      minPrice: null,
      maxPrice: null,
      sort: "name",
    } satisfies ModelBrowserQuery);
    expect(isFiltered(q)).toBe(false);
  });

  it("reads every filter, and Next's searchParams object as well as URLSearchParams", () => {
    const expected = {
      q: "claude",
      vendor: "anthropic",
      provider: "anthropic",
      modality: "image",
      capabilities: ["tools", "vision"],
      minContext: 128_000,
      minPrice: 0.5,
      maxPrice: 5,
      sort: "price",
    };
    expect(
      query("q=+claude+&vendor=anthropic&provider=anthropic&modality=image&capability=vision,tools&minContext=128000&minPrice=0.5&maxPrice=5&sort=price"),
    ).toEqual(expected);
    const fromObject = parseModelBrowserQuery(
      {
        q: "claude",
        vendor: "Anthropic",
        provider: ["anthropic", "openai"],
        modality: "image",
        capability: ["tools", "vision"],
        minContext: "128k",
        minPrice: "0.5",
        maxPrice: "5",
        sort: "price",
      },
      modelBrowserFacets(rows),
    );
    expect(fromObject).toEqual(expected);
    expect(isFiltered(fromObject)).toBe(true);
  });

  it("ignores values it cannot use", () => {
    expect(query("vendor=nobody&provider=nowhere&modality=smell&capability=telepathy&minContext=lots&minPrice=-1&maxPrice=cheap&sort=random")).toEqual(
      query(""),
    );
    expect(query("minContext=0&minPrice=0").minContext).toBeNull();
  });

  it("accepts any vendor or provider string when it has no facets to check against", () => {
    expect(parseModelBrowserQuery(new URLSearchParams("vendor=Acme")).vendor).toBe("acme");
  });

  it("clamps huge numbers, reads 1m/1.5M shorthands, and swaps a reversed price range", () => {
    expect(query("minContext=99999999999").minContext).toBe(100_000_000);
    expect(query("minContext=1m").minContext).toBe(1_000_000);
    expect(query("minContext=1.5M").minContext).toBe(1_500_000);
    expect(query("maxPrice=1e9").maxPrice).toBeNull();
    expect(query("maxPrice=99999999").maxPrice).toBe(10_000);
    expect(query("minPrice=5&maxPrice=1")).toMatchObject({ minPrice: 1, maxPrice: 5 });
    expect(query(`q=${"x".repeat(500)}`).q).toHaveLength(200);
  });
});

describe("withModelBrowserParam", () => {
  it("sets a trimmed value, drops empty ones and the default sort, and keeps the rest", () => {
    const start = new URLSearchParams("vendor=openai&sort=price");
    expect(withModelBrowserParam(start, "q", "  gpt ").toString()).toBe("vendor=openai&sort=price&q=gpt");
    expect(withModelBrowserParam(start, "vendor", "").toString()).toBe("sort=price");
    expect(withModelBrowserParam(start, "sort", "name").toString()).toBe("vendor=openai");
    expect(start.toString()).toBe("vendor=openai&sort=price");
  });
});

describe("filterModelRows", () => {
  it("searches display name, slug, alias and vendor, every word, case-insensitively", () => {
    expect(slugs(filterModelRows(rows, query("q=SONNET")))).toEqual([sonnet.slug]);
    expect(slugs(filterModelRows(rows, query("q=meta-llama/")))).toEqual([llama.slug]);
    expect(slugs(filterModelRows(rows, query("q=20250929")))).toEqual([sonnet.slug]);
    expect(slugs(filterModelRows(rows, query("q=openai")))).toEqual([mini.slug, nano.slug]);
    expect(slugs(filterModelRows(rows, query("q=openai+nano")))).toEqual([nano.slug]);
    expect(filterModelRows(rows, query("q=zzz"))).toEqual([]);
  });

  it("filters by vendor, provider and input modality", () => {
    expect(slugs(filterModelRows(rows, query("vendor=openai")))).toEqual([mini.slug, nano.slug]);
    expect(slugs(filterModelRows(rows, query("provider=deepinfra")))).toEqual([llama.slug]);
    expect(slugs(filterModelRows(rows, query("modality=file")))).toEqual([mini.slug]);
  });

  it("requires every chosen capability", () => {
    expect(slugs(filterModelRows(rows, query("capability=vision")))).toEqual([sonnet.slug, mini.slug, nano.slug]);
    expect(slugs(filterModelRows(rows, query("capability=vision&capability=reasoning")))).toEqual([sonnet.slug, nano.slug]);
  });

  it("keeps models with at least the minimum context", () => {
    expect(slugs(filterModelRows(rows, query("minContext=200k")))).toEqual([sonnet.slug, nano.slug]);
    expect(slugs(filterModelRows(rows, query("minContext=131072")))).toEqual([sonnet.slug, llama.slug, nano.slug]);
  });

  it("keeps models whose lowest input price is in the range, bounds included, and drops unpriced ones", () => {
    expect(slugs(filterModelRows(rows, query("maxPrice=0.15")))).toEqual([mini.slug, llama.slug, nano.slug]);
    expect(slugs(filterModelRows(rows, query("minPrice=0.15&maxPrice=3")))).toEqual([sonnet.slug, mini.slug, nano.slug]);
    expect(slugs(filterModelRows(rows, query("minPrice=1")))).toEqual([sonnet.slug]);
  });

  it("combines filters", () => {
    expect(slugs(filterModelRows(rows, query("vendor=openai&capability=reasoning&maxPrice=1")))).toEqual([nano.slug]);
  });
});

describe("sortModelRows", () => {
  it("sorts by display name", () => {
    expect(slugs(sortModelRows(rows, "name"))).toEqual([unpriced.slug, sonnet.slug, llama.slug, mini.slug, nano.slug]);
  });

  it("sorts by input price, then output price, unpriced last", () => {
    expect(slugs(sortModelRows(rows, "price"))).toEqual([llama.slug, nano.slug, mini.slug, sonnet.slug, unpriced.slug]);
  });

  it("sorts by context, largest first, then name", () => {
    expect(slugs(sortModelRows(rows, "context"))).toEqual([sonnet.slug, nano.slug, llama.slug, mini.slug, unpriced.slug]);
  });

  it("sorts by the best TTFT, fastest first, models without data last (by name)", () => {
    expect(slugs(sortModelRows(rows, "latency"))).toEqual([mini.slug, nano.slug, sonnet.slug, unpriced.slug, llama.slug]);
  });

  it("does not reorder its input", () => {
    sortModelRows(rows, "price");
    expect(rows[0]).toBe(sonnet);
  });
});

describe("browseModels and facets", () => {
  it("filters then sorts", () => {
    expect(slugs(browseModels(rows, query("capability=vision&sort=latency")))).toEqual([mini.slug, nano.slug, sonnet.slug]);
  });

  it("offers each vendor, provider and input modality once, by label", () => {
    const facets = modelBrowserFacets(rows);
    expect(facets.vendors).toEqual([
      { value: "acme", label: "ACME" },
      { value: "anthropic", label: "Anthropic" },
      { value: "meta-llama", label: "Meta" },
      { value: "openai", label: "OpenAI" },
    ]);
    expect(facets.providers.map((p) => p.value)).toEqual(["anthropic", "deepinfra", "groq", "openai", "p1"]);
    expect(facets.modalities).toEqual([
      { value: "file", label: "File" },
      { value: "image", label: "Image" },
      { value: "text", label: "Text" },
    ]);
  });
});
