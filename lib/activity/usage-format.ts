/**
 * Numbers for people on the usage charts and the dashboard: $0.0042, $12.35, 1.2M tokens,
 * 850 ms. Pure; money is formatted from integer nano-USD with integer arithmetic.
 */
import { formatNanoUsd, parseSignedUsdToNano } from "../gateway/metering/money.ts";
import type { Granularity } from "./usage-buckets.ts";

const NANO_PER_USD = 1_000_000_000n;
const NANO_PER_CENT = 10_000_000n;

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Divides and rounds half away from zero, in BigInt. */
function roundDiv(value: bigint, divisor: bigint): bigint {
  const half = divisor / 2n;
  return value >= 0n ? (value + half) / divisor : -((-value + half) / divisor);
}

/**
 * nano-USD → "$12.35", "$1,234.50", "$0.42", "$0.01": cents from a cent up. Below a cent,
 * four significant digits ("$0.004217", "$0.000018") so small costs never read as $0.00.
 * `compact` gives axis labels: "$1.2K", "$3.4M". The exact figure is formatExactUsd's.
 */
export function formatUsd(nano: bigint | number, options: { compact?: boolean } = {}): string {
  const value = typeof nano === "bigint" ? nano : BigInt(Math.round(nano));
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  if (abs === 0n) return "$0.00";
  if (options.compact && abs >= 1000n * NANO_PER_USD) return `${sign}$${formatCompact(Number(abs) / 1e9)}`;
  if (abs >= NANO_PER_CENT) {
    const cents = roundDiv(abs, NANO_PER_CENT);
    return `${sign}$${groupThousands((cents / 100n).toString())}.${(cents % 100n).toString().padStart(2, "0")}`;
  }
  // Under a cent: four significant digits (at most 9 decimals), trailing zeros dropped.
  const digits = abs.toString().length; // nano digits, 1–7
  const decimals = Math.min(9, 9 - digits + 4);
  const rounded = roundDiv(abs, 10n ** BigInt(9 - decimals));
  if (rounded * 10n ** BigInt(9 - decimals) >= NANO_PER_CENT) return `${sign}$0.01`;
  const fraction = rounded.toString().padStart(decimals, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${sign}$0.${fraction}`;
}

/** The exact amount, every nano-dollar that is not zero: "$0.004217301", "$12.50". For hover titles. */
export function formatExactUsd(nano: bigint): string {
  const negative = nano < 0n;
  const text = formatNanoUsd(negative ? -nano : nano);
  const [whole, fraction] = text.split(".");
  return `${negative ? "-" : ""}$${groupThousands(whole)}${fraction ? `.${fraction}` : ""}`;
}

/** An exact decimal USD string from the API ("0.004200001") for people ("$0.0042"). */
export function formatUsdDecimal(usd: string): string {
  return formatUsd(parseSignedUsdToNano(usd) ?? 0n);
}

const COMPACT_UNITS = [
  { value: 1, suffix: "" },
  { value: 1e3, suffix: "K" },
  { value: 1e6, suffix: "M" },
  { value: 1e9, suffix: "B" },
  { value: 1e12, suffix: "T" },
];

/** 950 → "950", 1_234 → "1.2K", 999_999 → "1M" (not "1000K"), 3_400_000 → "3.4M". */
export function formatCompact(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  let i = COMPACT_UNITS.length - 1;
  while (i > 0 && abs < COMPACT_UNITS[i].value) i--;
  let scaled = Math.round((abs / COMPACT_UNITS[i].value) * 10) / 10;
  if (scaled >= 1000 && i < COMPACT_UNITS.length - 1) {
    i++;
    scaled = Math.round((abs / COMPACT_UNITS[i].value) * 10) / 10;
  }
  return `${sign}${trimZero(scaled)}${COMPACT_UNITS[i].suffix}`;
}

function trimZero(value: number): string {
  return value.toFixed(1).replace(/\.0$/, "");
}

/** Token counts: "1.2M", "3.4K", "950". */
export const formatTokens = (tokens: number): string => formatCompact(tokens);

/** Whole numbers with separators: "12,345". */
export function formatInteger(value: number): string {
  return groupThousands(Math.round(value).toString());
}

/** 0.025 → "2.5%"; a non-zero share under 0.1% says so rather than rounding to 0. */
export function formatPercent(ratio: number): string {
  if (ratio > 0 && ratio < 0.001) return "<0.1%";
  const percent = Math.round(ratio * 1000) / 10;
  return `${trimZero(percent)}%`;
}

/** 850 → "850 ms", 1_234 → "1.23 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Output tokens per second: "45.3 tok/s". */
export function formatThroughput(tokensPerSecond: number): string {
  return `${tokensPerSecond >= 100 ? Math.round(tokensPerSecond) : trimZero(Math.round(tokensPerSecond * 10) / 10)} tok/s`;
}

const LABEL_OPTIONS: Record<Granularity, Intl.DateTimeFormatOptions> = {
  hour: { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  day: { month: "short", day: "numeric" },
  month: { month: "short", year: "numeric" },
};

/** A bucket's label in the viewer's zone: "Nov 20, 14:00", "Nov 20", "Nov 2026". */
export function formatBucketLabel(bucketStartMs: number, granularity: Granularity, timeZone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { ...LABEL_OPTIONS[granularity], timeZone }).format(new Date(bucketStartMs));
}

/** What a chart's numbers are, so axes and tooltips format them alike. */
export type ValueKind = "tokens" | "requests" | "usd" | "ms" | "throughput";

/** A chart value for a tooltip, or (`axis`) a shorter one for an axis tick. */
export function formatValue(kind: ValueKind, value: number, options: { axis?: boolean } = {}): string {
  switch (kind) {
    case "tokens":
      return formatTokens(value);
    case "requests":
      return options.axis ? formatCompact(value) : formatInteger(value);
    case "usd":
      return formatUsd(value, { compact: options.axis });
    case "ms":
      return formatMs(value);
    case "throughput":
      return options.axis ? formatCompact(value) : formatThroughput(value);
  }
}
