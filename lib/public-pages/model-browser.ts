/**
 * The public model browser's rows: one plain, serialisable row per listed model, built
 * from the catalog snapshot and each endpoint's live health figures. Pure: the caller
 * passes `statsFor` (the server passes EndpointHealth.stats), so the page reads memory
 * only, with no per-row queries, and tests pass fakes.
 */
import type { CircuitState } from "../gateway/health/circuit-breaker.ts";
import { tierBounds, type Pricings } from "../gateway/metering/price-schema.ts";
import type { Capabilities, EndpointView, ModelView } from "../gateway/catalog-view/catalog-types.ts";
import { ALWAYS_CONFIGURED, isRoutable, type IsConfigured } from "./provider-status.ts";

/** What the browser reads from an endpoint's health; EndpointHealth.stats() returns at least this. */
export type EndpointFigures = { requests: number; successRate: number | null; ttftP50Ms: number | null; circuit: CircuitState };

/** Which window a row's latency and availability come from: the last 5 minutes, else the last hour, else the last day. */
export type StatsWindow = "5m" | "1h" | "24h";
export const STATS_WINDOW_LABELS: Record<StatsWindow, string> = { "5m": "last 5 min", "1h": "last hour", "24h": "last 24 h" };

/** An endpoint's last hour and day, for when its last 5 minutes were quiet (EndpointHealth.windows() gives them). */
export type EndpointFallbackWindows = { hour: Omit<EndpointFigures, "circuit">; day: Omit<EndpointFigures, "circuit"> };

/** up: a healthy endpoint; degraded: none healthy, not all failing; down: all failing; unknown: no traffic yet. */
export type Availability = "up" | "degraded" | "down" | "unknown";

/** A base-tier list price in USD per million tokens (display only: billing never reads it). */
export type ListPrice = { usdPerMillion: number; tiered: boolean };

export type ModelRow = {
  slug: string;
  vendor: string;
  vendorName: string;
  displayName: string;
  aliases: string[];
  inputModalities: string[];
  outputModalities: string[];
  capabilities: Capabilities;
  contextLength: number;
  /** the lowest among the model's usable endpoints, per fee item */
  inputPrice: ListPrice | null;
  outputPrice: ListPrice | null;
  providers: { slug: string; name: string }[];
  availability: Availability;
  /** the best median time to first token among its endpoints, ms */
  ttftP50Ms: number | null;
  /** the window availability and latency come from; null without traffic in the last day */
  statsWindow: StatsWindow | null;
};

/** An endpoint with at least this success rate (and a closed circuit) makes the model "up". */
export const HEALTHY_SUCCESS_RATE = 0.95;
/** Below this an endpoint counts as failing, like one whose circuit is open. */
export const FAILING_SUCCESS_RATE = 0.5;

type WindowsFor = (endpointId: string) => EndpointFallbackWindows;

export function buildModelRows(
  models: ModelView[],
  statsFor: (endpointId: string) => EndpointFigures,
  windowsFor?: WindowsFor,
  isConfigured: IsConfigured = ALWAYS_CONFIGURED,
): ModelRow[] {
  return models.map((model) => buildModelRow(model, statsFor, windowsFor, isConfigured));
}

/**
 * The figures of the first window with traffic: the last 5 minutes, else (with
 * `windowsFor`) the last hour, else the last day. Circuits are always the current ones.
 */
export function figuresWithFallback(
  endpointIds: readonly string[],
  statsFor: (endpointId: string) => EndpointFigures,
  windowsFor?: WindowsFor,
): { figures: EndpointFigures[]; window: StatsWindow | null } {
  const recent = endpointIds.map((id) => statsFor(id));
  if (recent.some((f) => f.requests > 0)) return { figures: recent, window: "5m" };
  if (windowsFor) {
    const windows = endpointIds.map((id) => windowsFor(id));
    for (const [window, key] of [
      ["1h", "hour"],
      ["24h", "day"],
    ] as const) {
      const figures = windows.map((w, i) => ({ ...w[key], circuit: recent[i].circuit }));
      if (figures.some((f) => f.requests > 0)) return { figures, window };
    }
  }
  return { figures: recent, window: null };
}

/**
 * Prices, providers and figures come from the endpoints a call could be routed to
 * (enabled, and their provider enabled with a credential), so a keyless provider neither
 * adds to the provider count nor shows a price nobody can pay. A model with none falls
 * back to all its endpoints, so its row still says what it would cost.
 */
export function buildModelRow(
  model: ModelView,
  statsFor: (endpointId: string) => EndpointFigures,
  windowsFor?: WindowsFor,
  isConfigured: IsConfigured = ALWAYS_CONFIGURED,
): ModelRow {
  const usable = model.endpoints.filter((e) => isRoutable(e, isConfigured));
  const endpoints = usable.length > 0 ? usable : model.endpoints;
  const { figures, window } = figuresWithFallback(
    endpoints.map((e) => e.id),
    statsFor,
    windowsFor,
  );
  const providers = new Map(endpoints.map((e) => [e.provider.slug, e.provider.name]));
  return {
    slug: model.slug,
    vendor: model.vendor,
    vendorName: vendorNameOf(model),
    displayName: model.displayName,
    aliases: model.aliases,
    inputModalities: model.inputModalities,
    outputModalities: model.outputModalities,
    capabilities: model.capabilities,
    contextLength: model.contextLength,
    inputPrice: lowestPrice(endpoints, "prompt"),
    outputPrice: lowestPrice(endpoints, "completion"),
    providers: [...providers].map(([slug, name]) => ({ slug, name })),
    availability: availabilityOf(figures),
    ttftP50Ms: bestTtft(figures),
    statsWindow: window,
  };
}

/** "Anthropic" from "Anthropic: Claude Sonnet 4.5" (the catalog's naming), else the vendor slug. */
export function vendorNameOf(model: Pick<ModelView, "vendor" | "displayName">): string {
  const colon = model.displayName.indexOf(": ");
  return colon > 0 ? model.displayName.slice(0, colon) : model.vendor;
}

export function availabilityOf(figures: EndpointFigures[]): Availability {
  if (!figures.some((f) => f.requests > 0 || f.circuit !== "closed")) return "unknown";
  const failing = (f: EndpointFigures) => f.circuit === "open" || (f.requests > 0 && (f.successRate ?? 0) < FAILING_SUCCESS_RATE);
  if (figures.every(failing)) return "down";
  if (figures.some((f) => f.circuit === "closed" && f.requests > 0 && (f.successRate ?? 0) >= HEALTHY_SUCCESS_RATE)) return "up";
  return "degraded";
}

/** The fastest median TTFT, preferring endpoints that are not cut off by an open circuit. */
function bestTtft(figures: EndpointFigures[]): number | null {
  const measured = figures.filter((f) => f.ttftP50Ms !== null);
  const reachable = measured.filter((f) => f.circuit !== "open");
  const pool = reachable.length > 0 ? reachable : measured;
  return pool.length > 0 ? Math.min(...pool.map((f) => f.ttftP50Ms!)) : null;
}

/** The lowest base-tier per-token price of a fee item across endpoints, and whether that endpoint tiers it. */
export function lowestPrice(endpoints: EndpointView[], item: keyof Pricings): ListPrice | null {
  let best: ListPrice | null = null;
  for (const endpoint of endpoints) {
    const tiers = (endpoint.pricings[item] ?? []).filter((p) => p.unit === "perMTokens");
    const base = tiers.find((p) => tierBounds(p.conditions?.prompt_tokens).from === 0);
    if (base && (!best || base.value < best.usdPerMillion)) best = { usdPerMillion: base.value, tiered: tiers.length > 1 };
  }
  return best;
}
