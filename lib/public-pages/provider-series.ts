/**
 * Chart rows for a model page: per hour, each provider's TTFT p50, throughput p50 and
 * availability (pure). Hours without traffic are absent for that provider (the line
 * breaks) rather than drawn as zero.
 */
import type { WindowStats } from "../gateway/health/stat-buckets.ts";

export type SeriesPoint = { start: number; stats: WindowStats };
export type ProviderSeries = { provider: string; points: SeriesPoint[] };
export type ChartRow = { time: number } & Record<string, number | null>;
export type ProviderCharts = { providers: string[]; ttft: ChartRow[]; throughput: ChartRow[]; availability: ChartRow[] };

export function providerCharts(series: ProviderSeries[], sinceMs: number, stepMs: number, untilMs: number): ProviderCharts {
  const withData = series.filter((s) => s.points.length > 0);
  const times: number[] = [];
  for (let t = Math.floor(sinceMs / stepMs) * stepMs; t <= untilMs; t += stepMs) times.push(t);
  const build = (pick: (s: WindowStats) => number | null) =>
    times.map((time) => {
      const row: ChartRow = { time };
      for (const s of withData) {
        const point = s.points.find((p) => p.start === time);
        row[s.provider] = point ? pick(point.stats) : null;
      }
      return row;
    });
  return {
    providers: withData.map((s) => s.provider),
    ttft: build((s) => (s.ttftP50Ms === null ? null : Math.round(s.ttftP50Ms))),
    throughput: build((s) => (s.throughputP50 === null ? null : Math.round(s.throughputP50 * 10) / 10)),
    availability: build((s) => (s.successRate === null ? null : Math.round(s.successRate * 1000) / 10)),
  };
}
