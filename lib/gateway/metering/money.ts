/**
 * Money is integer nano-USD (1e-9 USD) held in BigInt. These convert to and from the
 * decimal strings people type and read, exactly: no floating point on the way.
 */
export const NANO_PER_USD = 1_000_000_000n;
const USD_PATTERN = /^(\d{1,12})(?:\.(\d{1,9}))?$/;

/** "12.5" → 12_500_000_000n; null when the text is not a non-negative amount with ≤ 9 decimals. */
export function parseUsdToNano(input: string | number): bigint | null {
  const text = typeof input === "number" ? (Number.isFinite(input) ? numberToPlainString(input) : "") : input.trim();
  const match = USD_PATTERN.exec(text);
  if (!match) return null;
  const [, whole, fraction = ""] = match;
  return BigInt(whole) * NANO_PER_USD + BigInt(fraction.padEnd(9, "0"));
}

function numberToPlainString(value: number): string {
  // toString gives "1e-7" for small numbers; 9 decimals covers nano-USD.
  return value.toFixed(9).replace(/\.?0+$/, "");
}

/** 12_500_000_000n → "12.50"; keeps up to 9 decimals when they are non-zero ("0.000042"). */
export function formatNanoUsd(nano: bigint, minimumDecimals = 2): string {
  const negative = nano < 0n;
  const abs = negative ? -nano : nano;
  const whole = abs / NANO_PER_USD;
  const fraction = (abs % NANO_PER_USD).toString().padStart(9, "0").replace(/0+$/, "").padEnd(minimumDecimals, "0");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** As parseUsdToNano, but a leading "-" is allowed (admin adjustments). */
export function parseSignedUsdToNano(input: string | number): bigint | null {
  const text = String(input).trim();
  const nano = parseUsdToNano(text.startsWith("-") ? text.slice(1) : text);
  return nano === null ? null : text.startsWith("-") ? -nano : nano;
}
