/**
 * A sparse log-scale histogram for latencies and rates: bin i holds values in
 * [GROWTH^i, GROWTH^(i+1)), so any percentile read from it is within ±2.5% of the
 * true sample. Histograms merge by adding counts, which is what lets time buckets
 * from many minutes and many instances combine into one window's percentiles.
 */
const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);

/** bin index → count; plain object so it serialises as JSON */
export type LogHistogram = Record<string, number>;

export function binOf(value: number): number {
  return value < 1 ? 0 : Math.floor(Math.log(value) / LOG_GROWTH);
}

/** The middle of a bin (geometric), the value a percentile reports for it. Values below 1 share bin 0. */
export function binValue(bin: number): number {
  return Math.pow(GROWTH, bin + 0.5);
}

export function addToHistogram(histogram: LogHistogram, value: number, count = 1): void {
  const bin = String(binOf(value));
  histogram[bin] = (histogram[bin] ?? 0) + count;
}

export function mergeHistograms(into: LogHistogram, from: LogHistogram): LogHistogram {
  for (const [bin, count] of Object.entries(from)) into[bin] = (into[bin] ?? 0) + count;
  return into;
}

export function histogramCount(histogram: LogHistogram): number {
  let total = 0;
  for (const count of Object.values(histogram)) total += count;
  return total;
}

/** The p-th percentile (nearest rank), or null when empty. */
export function histogramPercentile(histogram: LogHistogram, p: number): number | null {
  const total = histogramCount(histogram);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const bin of Object.keys(histogram)
    .map(Number)
    .sort((a, b) => a - b)) {
    seen += histogram[String(bin)];
    if (seen >= rank) return binValue(bin);
  }
  return null;
}
