/**
 * The model browser's state as it lives in the page URL
 * (`?q=&vendor=&provider=&modality=&capability=&minContext=&minPrice=&maxPrice=&sort=`),
 * and the filtering and sorting of rows by it. Pure; the server render and the browser
 * run the same code, so a reload shows exactly what the page showed.
 */
import type { ModelRow } from "./model-browser.ts";

export const MODEL_SORTS = [
  { value: "name", label: "Name (A–Z)" },
  { value: "price", label: "Price (lowest first)" },
  { value: "context", label: "Context (largest first)" },
  { value: "latency", label: "Latency (fastest first)" },
] as const;
export type ModelSort = (typeof MODEL_SORTS)[number]["value"];
export const DEFAULT_MODEL_SORT: ModelSort = "name";

export const CAPABILITY_FILTERS = [
  { value: "tools", label: "Tools" },
  { value: "vision", label: "Vision" },
  { value: "reasoning", label: "Reasoning" },
] as const;
export type CapabilityFilter = (typeof CAPABILITY_FILTERS)[number]["value"];

export const CONTEXT_STEPS = [32_000, 128_000, 200_000, 1_000_000] as const;

/** Bounds that keep silly URLs harmless. */
const MAX_CONTEXT = 100_000_000;
const MAX_PRICE = 10_000;
const MAX_TEXT = 200;

export type ModelBrowserQuery = {
  q: string;
  vendor: string | null;
  provider: string | null;
  modality: string | null;
  capabilities: CapabilityFilter[];
  /** tokens */
  minContext: number | null;
  /** USD per million input tokens */
  minPrice: number | null;
  maxPrice: number | null;
  sort: ModelSort;
};

export type Option = { value: string; label: string };
export type ModelBrowserFacets = { vendors: Option[]; providers: Option[]; modalities: Option[] };

/** Next's `searchParams` object or a URLSearchParams. */
export type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function allValues(source: ParamSource, name: string): string[] {
  if (source instanceof URLSearchParams) return source.getAll(name);
  const value = source[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const first = (source: ParamSource, name: string) => allValues(source, name)[0]?.trim().slice(0, MAX_TEXT) ?? "";

/** A facet value the rows know (case-insensitive), or null: an unknown value is ignored, not applied. */
function knownValue(raw: string, options: Option[] | undefined): string | null {
  if (!raw) return null;
  if (!options) return raw.toLowerCase();
  return options.find((o) => o.value.toLowerCase() === raw.toLowerCase())?.value ?? null;
}

/** "128000", "128k", "1m", "1.5M" → tokens; anything else → null. */
function parseTokens(raw: string): number | null {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(raw);
  if (!match) return null;
  const tokens = Math.round(Number(match[1]) * { "": 1, k: 1000, m: 1_000_000 }[match[2].toLowerCase() as "" | "k" | "m"]);
  return tokens > 0 ? Math.min(tokens, MAX_CONTEXT) : null;
}

function parsePrice(raw: string): number | null {
  if (!/^\d*\.?\d+$|^\d+\.$/.test(raw)) return null;
  return Math.min(Number(raw), MAX_PRICE);
}

/**
 * Reads the URL; values it cannot use are ignored (or clamped), never an error, so a
 * hand-edited or stale link still shows a page. With `facets`, vendor, provider and
 * modality must be ones the catalog has.
 */
export function parseModelBrowserQuery(source: ParamSource, facets?: ModelBrowserFacets): ModelBrowserQuery {
  const capabilities = allValues(source, "capability")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim().toLowerCase());
  const sort = first(source, "sort").toLowerCase();
  let minPrice = parsePrice(first(source, "minPrice"));
  let maxPrice = parsePrice(first(source, "maxPrice"));
  if (minPrice !== null && maxPrice !== null && minPrice > maxPrice) [minPrice, maxPrice] = [maxPrice, minPrice];
  return {
    q: first(source, "q"),
    vendor: knownValue(first(source, "vendor"), facets?.vendors),
    provider: knownValue(first(source, "provider"), facets?.providers),
    modality: knownValue(first(source, "modality"), facets?.modalities),
    capabilities: CAPABILITY_FILTERS.map((c) => c.value).filter((c) => capabilities.includes(c)),
    minContext: parseTokens(first(source, "minContext")),
    minPrice: minPrice || null,
    maxPrice,
    sort: MODEL_SORTS.some((s) => s.value === sort) ? (sort as ModelSort) : DEFAULT_MODEL_SORT,
  };
}

export function isFiltered(query: ModelBrowserQuery): boolean {
  return Boolean(
    query.q ||
    query.vendor ||
    query.provider ||
    query.modality ||
    query.capabilities.length ||
    query.minContext ||
    query.minPrice !== null ||
    query.maxPrice !== null,
  );
}

/** The page's params with one changed ("" removes it); other params stay as they are. */
export function withModelBrowserParam(params: URLSearchParams, name: string, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  const trimmed = value.trim();
  if (trimmed && !(name === "sort" && trimmed === DEFAULT_MODEL_SORT)) next.set(name, trimmed);
  else next.delete(name);
  return next;
}

export function modelBrowserFacets(rows: ModelRow[]): ModelBrowserFacets {
  const vendors = new Map<string, string>();
  const providers = new Map<string, string>();
  const modalities = new Set<string>();
  for (const row of rows) {
    if (!vendors.has(row.vendor)) vendors.set(row.vendor, row.vendorName);
    for (const p of row.providers) providers.set(p.slug, p.name);
    for (const m of row.inputModalities) modalities.add(m);
  }
  const byLabel = (a: Option, b: Option) => a.label.localeCompare(b.label, "en", { sensitivity: "base" });
  return {
    vendors: [...vendors].map(([value, label]) => ({ value, label })).sort(byLabel),
    providers: [...providers].map(([value, label]) => ({ value, label })).sort(byLabel),
    modalities: [...modalities].map((m) => ({ value: m, label: m[0].toUpperCase() + m.slice(1) })).sort(byLabel),
  };
}

function matchesSearch(row: ModelRow, q: string): boolean {
  const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return true;
  const haystack = [row.displayName, row.slug, row.vendor, row.vendorName, ...row.aliases].join("\n").toLowerCase();
  return terms.every((term) => haystack.includes(term));
}

export function filterModelRows(rows: ModelRow[], query: ModelBrowserQuery): ModelRow[] {
  const priced = query.minPrice !== null || query.maxPrice !== null;
  return rows.filter((row) => {
    if (!matchesSearch(row, query.q)) return false;
    if (query.vendor && row.vendor !== query.vendor) return false;
    if (query.provider && !row.providers.some((p) => p.slug === query.provider)) return false;
    if (query.modality && !row.inputModalities.includes(query.modality)) return false;
    if (query.capabilities.some((c) => !row.capabilities[c])) return false;
    if (query.minContext && row.contextLength < query.minContext) return false;
    if (priced) {
      const price = row.inputPrice?.usdPerMillion;
      if (price === undefined) return false;
      if (query.minPrice !== null && price < query.minPrice) return false;
      if (query.maxPrice !== null && price > query.maxPrice) return false;
    }
    return true;
  });
}

const byName = (a: ModelRow, b: ModelRow) =>
  a.displayName.localeCompare(b.displayName, "en", { sensitivity: "base", numeric: true }) || a.slug.localeCompare(b.slug);

/** Ascending, with missing values (no price, no latency data) last. */
function ascendingNullsLast(a: number | null | undefined, b: number | null | undefined): number {
  if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
  return a - b;
}

const COMPARATORS: Record<ModelSort, (a: ModelRow, b: ModelRow) => number> = {
  name: byName,
  price: (a, b) =>
    ascendingNullsLast(a.inputPrice?.usdPerMillion, b.inputPrice?.usdPerMillion) ||
    ascendingNullsLast(a.outputPrice?.usdPerMillion, b.outputPrice?.usdPerMillion) ||
    byName(a, b),
  context: (a, b) => b.contextLength - a.contextLength || byName(a, b),
  latency: (a, b) => ascendingNullsLast(a.ttftP50Ms, b.ttftP50Ms) || byName(a, b),
};

export function sortModelRows(rows: ModelRow[], sort: ModelSort): ModelRow[] {
  return [...rows].sort(COMPARATORS[sort]);
}

export function browseModels(rows: ModelRow[], query: ModelBrowserQuery): ModelRow[] {
  return sortModelRows(filterModelRows(rows, query), query.sort);
}
