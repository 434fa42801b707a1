/** Measured statistics as pages show them: "no data yet" where nothing was measured, never a made-up number. */
export const NO_DATA = "no data yet";

/** A success rate (fraction) as "99.5%" or "100%". */
export function formatRate(rate: number | null): string {
  return rate === null ? NO_DATA : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)}%`;
}

/** A latency as "1,234 ms". */
export function formatLatency(ms: number | null): string {
  return ms === null ? NO_DATA : `${Math.round(ms).toLocaleString("en-US")} ms`;
}

/** Output tokens per second as "45.3 tok/s". */
export function formatTokenRate(tokensPerSecond: number | null): string {
  return tokensPerSecond === null ? NO_DATA : `${tokensPerSecond.toFixed(1)} tok/s`;
}
