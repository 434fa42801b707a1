/** Human-readable prices for pages. Display only: billing never goes through these. */
import type { Price, Pricings } from "./catalog-schema.ts";

/** "$3" / "$0.15" / "$0.075" per million tokens, from the base tier of a fee item. */
export function formatPerMillion(pricings: Pricings, item: keyof Pricings): string {
  const base = pricings[item]?.[0];
  return base ? formatUsd(base) : "—";
}

function formatUsd(price: Price): string {
  return formatUsdAmount(price.value);
}

/** "$3.00" / "$0.15" / "$0.075": cents always shown; finer digits only when the amount has them. */
export function formatUsdAmount(value: number): string {
  const [whole, fraction = ""] = value.toFixed(6).replace(/0+$/, "").split(".");
  return `$${whole}.${fraction.padEnd(2, "0")}`;
}

export function isTiered(pricings: Pricings): boolean {
  return Object.values(pricings).some((tiers) => (tiers?.length ?? 0) > 1);
}

export function formatTokens(count: number): string {
  if (count >= 1_000_000) return `${+(count / 1_000_000).toFixed(2)}M`;
  if (count >= 1000) return `${Math.round(count / 1000)}K`;
  return String(count);
}
