/** Human-readable prices for pages. Display only: billing never goes through these. */

/** "$3.00" / "$0.15" / "$0.075": cents always shown; finer digits only when the amount has them. */
export function formatUsdAmount(value: number): string {
  const [whole, fraction = ""] = value.toFixed(6).replace(/0+$/, "").split(".");
  return `$${whole}.${fraction.padEnd(2, "0")}`;
}

export function formatTokens(count: number): string {
  if (count >= 1_000_000) return `${+(count / 1_000_000).toFixed(2)}M`;
  if (count >= 1000) return `${Math.round(count / 1000)}K`;
  return String(count);
}
