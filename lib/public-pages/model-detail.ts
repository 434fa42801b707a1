/**
 * What a model's page shows, built from the in-memory catalog and the endpoint
 * statistics (pure: the statistics come in as a function). One row per endpoint:
 * prices with their tiers spelled out, protocols, parameters, speed, availability and
 * circuit state. No statistic is invented: without traffic a value is null ("no data yet").
 */
import type { AvailabilityWindows, EndpointStats } from "../gateway/health/endpoint-health.ts";
import type { Price, Pricings } from "../gateway/metering/price-schema.ts";
import { tierBounds } from "../gateway/metering/price-schema.ts";
import type { EndpointView, ModelView } from "../gateway/catalog-view/catalog-types.ts";
import { ALWAYS_CONFIGURED, providerStatus, statusRank, type IsConfigured, type ProviderStatus } from "./provider-status.ts";

export type EndpointStatsSource = {
  stats(endpointId: string): EndpointStats;
  windows(endpointId: string): AvailabilityWindows;
};

export type PriceLine = { feeItem: string; label: string; text: string };

export type ProviderRow = {
  endpointId: string;
  providerSlug: string;
  providerName: string;
  enabled: boolean;
  /** "not_configured": the provider has no credential, so this endpoint is unavailable */
  status: ProviderStatus;
  contextLength: number;
  maxOutput: number | null;
  prices: PriceLine[];
  nativeProtocol: string;
  supportedParameters: string[];
  ttftP50Ms: number | null;
  ttftP90Ms: number | null;
  throughputP50: number | null;
  /** success rates as fractions (null: no requests in the window) */
  availability: { fiveMinutes: number | null; hour: number | null; day: number | null };
  requestsLastDay: number;
  probesLastDay: number;
  circuit: EndpointStats["circuit"];
};

const FEE_LABELS: Record<string, string> = {
  prompt: "Input",
  completion: "Output",
  input_cache_read: "Cache read",
  input_cache_write: "Cache write",
  input_cache_write_5_min: "Cache write (5 min)",
  input_cache_write_1_h: "Cache write (1 h)",
  request: "Per request",
};

const PROTOCOLS: Record<string, string> = { openai: "OpenAI Chat Completions", anthropic: "Anthropic Messages" };

/** The API a provider speaks natively, by its adapter kind: "OpenAI Chat Completions", "Anthropic Messages". */
export function protocolName(adapter: string): string {
  return PROTOCOLS[adapter] ?? adapter;
}

function usd(value: number): string {
  const [whole, fraction = ""] = value.toFixed(6).replace(/0+$/, "").split(".");
  return `$${whole}.${fraction.padEnd(2, "0")}`;
}

function tokens(count: number): string {
  return count >= 1_000_000 ? `${+(count / 1_000_000).toFixed(2)}M` : count >= 1000 ? `${+(count / 1000).toFixed(1)}K` : String(count);
}

const UNIT_TEXT: Record<Price["unit"], string> = { perMTokens: "/M tokens", perCount: "/request", perSecond: "/second" };

/** "$3.00/M tokens", or each tier with its prompt range: "$3.00/M tokens up to 200K prompt tokens; $6.00/M tokens above". */
export function describePrice(tiers: Price[]): string {
  if (tiers.length === 1) return `${usd(tiers[0].value)}${UNIT_TEXT[tiers[0].unit]}`;
  const sorted = [...tiers].sort((a, b) => tierBounds(a.conditions?.prompt_tokens).from - tierBounds(b.conditions?.prompt_tokens).from);
  return sorted
    .map((tier) => {
      const { from, to } = tierBounds(tier.conditions?.prompt_tokens);
      const range =
        to === Infinity ? `above ${tokens(Math.max(0, from - 1))}` : from === 0 ? `up to ${tokens(to - 1)}` : `${tokens(from - 1)}–${tokens(to - 1)}`;
      return `${usd(tier.value)}${UNIT_TEXT[tier.unit]} (${range} prompt tokens)`;
    })
    .join("; ");
}

export function priceLines(pricings: Pricings): PriceLine[] {
  return Object.entries(pricings).flatMap(([feeItem, tiers]) =>
    tiers ? [{ feeItem, label: FEE_LABELS[feeItem] ?? feeItem, text: describePrice(tiers) }] : [],
  );
}

export function providerRow(endpoint: EndpointView, source: EndpointStatsSource, isConfigured: IsConfigured = ALWAYS_CONFIGURED): ProviderRow {
  const stats = source.stats(endpoint.id);
  const windows = source.windows(endpoint.id);
  return {
    endpointId: endpoint.id,
    providerSlug: endpoint.provider.slug,
    providerName: endpoint.provider.name,
    enabled: endpoint.enabled && endpoint.provider.enabled,
    status: providerStatus(endpoint.provider, isConfigured, endpoint.enabled),
    contextLength: endpoint.contextLength,
    maxOutput: endpoint.maxOutput,
    prices: priceLines(endpoint.pricings),
    nativeProtocol: protocolName(endpoint.provider.adapter),
    supportedParameters: endpoint.supportedParameters,
    ttftP50Ms: stats.ttftP50Ms,
    ttftP90Ms: stats.ttftP90Ms,
    throughputP50: stats.throughputP50,
    availability: { fiveMinutes: windows.fiveMinutes.successRate, hour: windows.hour.successRate, day: windows.day.successRate },
    requestsLastDay: windows.day.requests,
    probesLastDay: windows.day.probes,
    circuit: stats.circuit,
  };
}

/** The provider rows of a model, enabled ones first (then not configured, then disabled), then by first-token latency (no data last), then name. */
export function providerRows(model: ModelView, source: EndpointStatsSource, isConfigured: IsConfigured = ALWAYS_CONFIGURED): ProviderRow[] {
  const rank = (r: ProviderRow) => r.ttftP50Ms ?? Infinity;
  return model.endpoints
    .map((e) => providerRow(e, source, isConfigured))
    .sort((a, b) => statusRank(a.status) - statusRank(b.status) || rank(a) - rank(b) || a.providerName.localeCompare(b.providerName));
}

/** The enabled provider with the lowest measured TTFT p50 (what the default routing prefers), or null without data. */
export function fastestProvider(rows: ProviderRow[]): string | null {
  const measured = rows.filter((r) => r.status === "enabled" && r.circuit !== "open" && r.ttftP50Ms !== null);
  if (measured.length === 0) return null;
  return measured.reduce((best, r) => (r.ttftP50Ms! < best.ttftP50Ms! ? r : best)).providerSlug;
}

/** A model page's address: /models/<vendor>/<name>. */
export function modelPath(slug: string): string {
  return `/models/${slug.split("/").map(encodeURIComponent).join("/")}`;
}
