/**
 * The Usage page keeps its filters in its own URL (shareable, survives reloads). Custom
 * ranges are calendar dates there (`from=2026-11-01&to=2026-11-07`, both days included);
 * the API wants instants, so this turns them into UTC midnights, the days the charts count
 * in (pure).
 */
import { MAX_SPAN_MS, zonedTimeToInstant, type Granularity } from "./usage-buckets.ts";

export const USAGE_TABS = ["usage", "providers", "performance"] as const;
export type UsageTab = (typeof USAGE_TABS)[number];

export const USAGE_RANGES = [
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { value: "90d", label: "Last 90 days", ms: 90 * 86_400_000 },
  { value: "custom", label: "Custom dates", ms: null },
] as const;
export const DEFAULT_USAGE_RANGE = "7d";

/** Page parameters passed through to the API as they are. */
const PASSED_THROUGH = ["granularity", "key", "model", "provider", "account", "member"] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function localMidnight(date: string, timeZone: string, dayOffset = 0): string | null {
  const match = DATE.exec(date);
  if (!match) return null;
  return new Date(zonedTimeToInstant(Number(match[1]), Number(match[2]), Number(match[3]) + dayOffset, 0, timeZone)).toISOString();
}

/** The API query string for the page's URL parameters. */
export function toUsageApiQuery(page: URLSearchParams): string {
  const timeZone = "UTC";
  const api = new URLSearchParams();
  const range = page.get("range") || DEFAULT_USAGE_RANGE;
  api.set("range", range);
  if (range === "custom") {
    const from = localMidnight(page.get("from") ?? "", timeZone);
    const to = localMidnight(page.get("to") ?? "", timeZone, 1);
    if (from) api.set("from", from);
    if (to) api.set("to", to);
  }
  for (const name of PASSED_THROUGH) {
    const value = page.get(name);
    if (value) api.set(name, value);
  }
  return api.toString();
}

/** The span the page's range covers, when it can tell (custom ranges need both dates). */
export function rangeSpanMs(page: URLSearchParams): number | null {
  const range = page.get("range") || DEFAULT_USAGE_RANGE;
  const preset = USAGE_RANGES.find((r) => r.value === range);
  if (preset?.ms) return preset.ms;
  const from = DATE.test(page.get("from") ?? "") ? Date.parse(page.get("from")!) : NaN;
  const to = DATE.test(page.get("to") ?? "") ? Date.parse(page.get("to")!) + 86_400_000 : NaN;
  return Number.isNaN(from) || Number.isNaN(to) ? null : to - from;
}

/** Whether a granularity can be offered for the range (hourly charts stop at 2 days). */
export function isGranularityAllowed(granularity: Granularity, spanMs: number | null): boolean {
  return spanMs === null || spanMs <= MAX_SPAN_MS[granularity];
}

/** The page's parameters with one changed ("" or null removes it); changing the range drops a granularity that no longer fits. */
export function withUsageParam(page: URLSearchParams, name: string, value: string | null): URLSearchParams {
  const next = new URLSearchParams(page);
  if (value) next.set(name, value);
  else next.delete(name);
  if (name === "range" && value !== "custom") {
    next.delete("from");
    next.delete("to");
  }
  const granularity = next.get("granularity") as Granularity | null;
  if (granularity && !isGranularityAllowed(granularity, rangeSpanMs(next))) next.delete("granularity");
  return next;
}
