/**
 * Time buckets for the usage charts, in the viewer's IANA time zone (pure; Intl only).
 *
 * Rollups are whole UTC hours, so an hour bucket is a rollup hour, and a day or month
 * bucket collects the rollup hours that start inside it. In zones whose offset is not a
 * whole hour (India, Nepal, parts of Australia) a local day therefore begins up to 45
 * minutes away from the rollup boundary; the charts say so nowhere else, hence here.
 */
import { ValidationError } from "../errors/validation-error.ts";

export const GRANULARITIES = ["hour", "day", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/**
 * Beyond these spans a chart has too many bars to read (and an hourly chart would group
 * too many hourly rollup rows to stay fast); the API refuses and says why.
 */
export const MAX_SPAN_MS: Record<Granularity, number> = { hour: 2 * DAY_MS, day: 732 * DAY_MS, month: Number.POSITIVE_INFINITY };

const formatters = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export type ZonedParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The wall-clock time at `ms` in `timeZone` (month 1–12). */
export function zonedParts(ms: number, timeZone: string): ZonedParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const p = zonedParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a wall-clock time in `timeZone`. Out-of-range fields roll over like
 * Date.UTC (day 32 is the 1st of the next month). A time skipped by a DST jump maps to
 * the instant just after the jump.
 */
export function zonedTimeToInstant(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return first === second ? first : Math.max(first, second);
}

/** The start of the bucket that contains `ms`. Hour buckets are UTC hours (the rollup grain). */
export function bucketStart(ms: number, granularity: Granularity, timeZone: string): number {
  if (granularity === "hour") return Math.floor(ms / HOUR_MS) * HOUR_MS;
  const p = zonedParts(ms, timeZone);
  return granularity === "day" ? zonedTimeToInstant(p.year, p.month, p.day, 0, timeZone) : zonedTimeToInstant(p.year, p.month, 1, 0, timeZone);
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucketStart(start: number, granularity: Granularity, timeZone: string): number {
  if (granularity === "hour") return start + HOUR_MS;
  // Noon is safely inside the bucket whatever DST does at midnight.
  const p = zonedParts(start + 12 * HOUR_MS, timeZone);
  return granularity === "day" ? zonedTimeToInstant(p.year, p.month, p.day + 1, 0, timeZone) : zonedTimeToInstant(p.year, p.month + 1, 1, 0, timeZone);
}

/** Every bucket start from the one containing `from` up to `to` (exclusive). */
export function enumerateBuckets(from: number, to: number, granularity: Granularity, timeZone: string): number[] {
  const buckets: number[] = [];
  for (let start = bucketStart(from, granularity, timeZone); start < to; start = nextBucketStart(start, granularity, timeZone)) buckets.push(start);
  return buckets;
}

/** The start of the local day `days` days before the day containing `now` (0 = today). */
export function startOfLocalDay(now: number, daysAgo: number, timeZone: string): number {
  const p = zonedParts(now, timeZone);
  return zonedTimeToInstant(p.year, p.month, p.day - daysAgo, 0, timeZone);
}

/** A granularity that gives a readable number of bars for the span. */
export function defaultGranularity(spanMs: number): Granularity {
  if (spanMs <= 2 * DAY_MS) return "hour";
  if (spanMs <= 92 * DAY_MS) return "day";
  return "month";
}

export type ChartRange = { from: number; to: number; granularity: Granularity; timeZone: string };

/**
 * The range a chart covers: `from` moves back to the start of its bucket so no bar is a
 * partial one (except the current one). Refuses spans with too many bars for the granularity.
 */
export function resolveChartRange(input: { from: number; to: number; granularity: Granularity | null; timeZone: string }): ChartRange {
  const span = input.to - input.from;
  const granularity = input.granularity ?? defaultGranularity(span);
  if (span > MAX_SPAN_MS[granularity]) {
    throw new ValidationError({
      granularity:
        granularity === "hour"
          ? "Hourly charts cover at most 2 days: choose day or month, or a shorter range"
          : "Daily charts cover at most two years: choose month, or a shorter range",
    });
  }
  return { from: bucketStart(input.from, granularity, input.timeZone), to: input.to, granularity, timeZone: input.timeZone };
}
