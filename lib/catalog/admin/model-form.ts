/**
 * The admin model editor's form state and its conversion to and from a catalog model
 * (the catalog file's shape). Pure and client-safe: the browser builds the request body
 * with `formToCatalogModel`, and the server validates it with the catalog's own schema,
 * so a value the form cannot parse is sent as typed and reported by that schema.
 */
import type { CatalogModel } from "../catalog-schema.ts";
import type { FeeItem, Price, TokenRange } from "../../gateway/metering/price-schema.ts";

export type PriceUnit = Price["unit"];

/** One price: a fee item's value for one prompt-size tier (several rows of one item are its tiers). */
export type PriceRowForm = {
  item: FeeItem;
  value: string;
  unit: PriceUnit;
  /** lower bound in kTokens; "" = from 0 */
  from: string;
  fromOp: "gte" | "gt";
  /** upper bound in kTokens; "" = no upper bound */
  to: string;
  toOp: "lt" | "lte";
  /** carried through unchanged: the form does not edit completion-size conditions */
  completionTokens?: TokenRange;
};

export type EndpointForm = {
  provider: string;
  name: string;
  upstreamModel: string;
  contextLength: string;
  maxOutput: string;
  enabled: boolean;
  prices: PriceRowForm[];
  /** carried through unchanged */
  supportedParameters?: string[];
  priceSource?: { url: string; date: string };
};

export type ModelForm = {
  id: string;
  name: string;
  description: string;
  created: string;
  contextLength: string;
  maxOutput: string;
  inputModalities: string[];
  outputModalities: string[];
  capabilities: { tools: boolean; vision: boolean; reasoning: boolean; json: boolean };
  /** comma- or space-separated */
  aliases: string;
  enabled: boolean;
  endpoints: EndpointForm[];
};

export function emptyPriceRow(item: FeeItem): PriceRowForm {
  return { item, value: "", unit: item === "request" || item === "web_search" ? "perCount" : "perMTokens", from: "", fromOp: "gte", to: "", toOp: "lt" };
}

export function emptyEndpointForm(provider = ""): EndpointForm {
  return {
    provider,
    name: "",
    upstreamModel: "",
    contextLength: "",
    maxOutput: "",
    enabled: true,
    prices: [emptyPriceRow("prompt"), emptyPriceRow("completion")],
  };
}

export function emptyModelForm(): ModelForm {
  return {
    id: "",
    name: "",
    description: "",
    created: "",
    contextLength: "",
    maxOutput: "",
    inputModalities: ["text"],
    outputModalities: ["text"],
    capabilities: { tools: false, vision: false, reasoning: false, json: false },
    aliases: "",
    enabled: true,
    endpoints: [emptyEndpointForm()],
  };
}

const text = (value: number | undefined | null) => (value === undefined || value === null ? "" : String(value));

function priceToRow(item: FeeItem, price: Price): PriceRowForm {
  const range = price.conditions?.prompt_tokens;
  return {
    item,
    value: String(price.value),
    unit: price.unit,
    from: text(range?.gt ?? range?.gte),
    fromOp: range?.gt !== undefined ? "gt" : "gte",
    to: text(range?.lte ?? range?.lt),
    toOp: range?.lte !== undefined ? "lte" : "lt",
    ...(price.conditions?.completion_tokens ? { completionTokens: price.conditions.completion_tokens } : {}),
  };
}

export function catalogModelToForm(model: CatalogModel): ModelForm {
  return {
    id: model.id,
    name: model.name,
    description: model.description ?? "",
    created: model.created ?? "",
    contextLength: text(model.contextLength),
    maxOutput: text(model.maxOutput),
    inputModalities: model.inputModalities ?? ["text"],
    outputModalities: model.outputModalities ?? ["text"],
    capabilities: { tools: false, vision: false, reasoning: false, json: false, ...model.capabilities },
    aliases: (model.aliases ?? []).join(", "),
    enabled: model.enabled ?? true,
    endpoints: model.endpoints.map((e) => ({
      provider: e.provider,
      name: e.name,
      upstreamModel: e.upstreamModel,
      contextLength: text(e.contextLength),
      maxOutput: text(e.maxOutput),
      enabled: e.enabled ?? true,
      prices: Object.entries(e.pricings).flatMap(([item, prices]) => (prices ?? []).map((p) => priceToRow(item as FeeItem, p))),
      ...(e.supportedParameters ? { supportedParameters: e.supportedParameters } : {}),
      ...(e.priceSource ? { priceSource: e.priceSource } : {}),
    })),
  };
}

/** "" → absent; a number → the number; anything else stays a string for the schema to reject by name. */
function parseNumber(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : trimmed;
}

function rowToPrice(row: PriceRowForm): Record<string, unknown> {
  const from = parseNumber(row.from);
  const to = parseNumber(row.to);
  const hasRange = (from !== undefined && from !== 0) || to !== undefined || row.fromOp === "gt";
  const promptTokens = hasRange ? { unit: "kTokens", [row.fromOp]: from ?? 0, ...(to !== undefined ? { [row.toOp]: to } : {}) } : undefined;
  const conditions = { ...(promptTokens ? { prompt_tokens: promptTokens } : {}), ...(row.completionTokens ? { completion_tokens: row.completionTokens } : {}) };
  return { value: parseNumber(row.value) ?? "", unit: row.unit, currency: "USD", ...(Object.keys(conditions).length > 0 ? { conditions } : {}) };
}

/** The fee items of the rows, in first-seen order, each with its tiers. */
export function rowsToPricings(rows: PriceRowForm[]): Record<string, Record<string, unknown>[]> {
  const pricings: Record<string, Record<string, unknown>[]> = {};
  for (const row of rows) (pricings[row.item] ??= []).push(rowToPrice(row));
  return pricings;
}

export function splitAliases(aliases: string): string[] {
  return aliases.split(/[\s,]+/).filter(Boolean);
}

/** The request body for a save: a catalog model, validated by the server with the catalog's schema. */
export function formToCatalogModel(form: ModelForm): Record<string, unknown> {
  const aliases = splitAliases(form.aliases);
  return {
    id: form.id.trim(),
    name: form.name.trim(),
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    ...(form.created.trim() ? { created: form.created.trim() } : {}),
    contextLength: parseNumber(form.contextLength),
    ...(parseNumber(form.maxOutput) !== undefined ? { maxOutput: parseNumber(form.maxOutput) } : {}),
    inputModalities: form.inputModalities,
    outputModalities: form.outputModalities,
    capabilities: form.capabilities,
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(form.enabled ? {} : { enabled: false }),
    endpoints: form.endpoints.map((e) => ({
      provider: e.provider,
      name: e.name.trim(),
      upstreamModel: e.upstreamModel.trim(),
      pricings: rowsToPricings(e.prices),
      ...(parseNumber(e.contextLength) !== undefined ? { contextLength: parseNumber(e.contextLength) } : {}),
      ...(parseNumber(e.maxOutput) !== undefined ? { maxOutput: parseNumber(e.maxOutput) } : {}),
      ...(e.supportedParameters ? { supportedParameters: e.supportedParameters } : {}),
      ...(e.enabled ? {} : { enabled: false }),
      ...(e.priceSource ? { priceSource: e.priceSource } : {}),
    })),
  };
}

/**
 * Where a server field error (a catalog path like `endpoints.0.pricings.prompt.1.value`)
 * shows in the form: the endpoint, and the price row when the path names one. A
 * fee-item-level message (tiers overlap) belongs to every row of that item.
 */
export function priceRowIndexes(rows: PriceRowForm[], item: string, tier: number | null): number[] {
  const indexes = rows.flatMap((row, index) => (row.item === item ? [index] : []));
  return tier === null ? indexes : indexes.filter((_, position) => position === tier);
}

export type EndpointErrors = { fields: Record<string, string>; rows: Record<number, string>; pricing: string[] };
export type ModelFormErrors = { model: Record<string, string>; endpoints: EndpointErrors[]; other: string[] };

const MODEL_FIELDS = new Set([
  "id",
  "name",
  "description",
  "created",
  "contextLength",
  "maxOutput",
  "inputModalities",
  "outputModalities",
  "capabilities",
  "aliases",
  "enabled",
  "endpoints",
]);

/** Sorts the server's per-field messages onto the form: model fields, endpoint fields, price rows, the rest. */
export function groupFieldErrors(fields: Record<string, string>, form: ModelForm): ModelFormErrors {
  const errors: ModelFormErrors = { model: {}, endpoints: form.endpoints.map(() => ({ fields: {}, rows: {}, pricing: [] })), other: [] };
  for (const [path, message] of Object.entries(fields)) {
    const [head, second, third, item, tier] = path.split(".");
    const endpoint = head === "endpoints" && second !== undefined ? errors.endpoints[Number(second)] : undefined;
    if (endpoint && third === "pricings" && item !== undefined) {
      const rows = priceRowIndexes(form.endpoints[Number(second)].prices, item, tier === undefined ? null : Number(tier));
      if (tier === undefined || rows.length === 0) endpoint.pricing.push(`${item}: ${message}`);
      for (const row of rows) endpoint.rows[row] ??= message;
    } else if (endpoint && third === "pricings") endpoint.pricing.push(message);
    else if (endpoint && third !== undefined) endpoint.fields[third] ??= message;
    else if (MODEL_FIELDS.has(head) && !endpoint) errors.model[head] ??= message;
    else errors.other.push(path ? `${path}: ${message}` : message);
  }
  return errors;
}
