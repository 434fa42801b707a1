/**
 * The figures issue 15 sets for Switchyard, checked against one run's results. Reporting
 * only: a missed target is a line in the report, never a failed run.
 */
import type { CellResult, Mode } from "./cells.ts";
import type { SlowStreamResult } from "./slow-streams.ts";

export type IdleResult = { target: string; seconds: number; cpuMsPerSecond: number };

export type TargetCheck = {
  gateway: string;
  goal: string;
  /** The figure compared with the limit; null when the run did not measure it. */
  measured: number | null;
  unit: string;
  limit: number;
  /** "max": measured must not exceed the limit; "min": must reach it. */
  bound: "max" | "min";
  pass: boolean | null;
  note?: string;
};

export const RSS_LIMIT_MB = 400;

type Inputs = {
  cells: CellResult[];
  idle: IdleResult[];
  slowStreams: SlowStreamResult[];
  gateways: string[];
  throughputConcurrency: number;
  largeConcurrency: number;
  slowStreamCount: number;
};

function check(gateway: string, goal: string, measured: number | null, unit: string, bound: "max" | "min", limit: number, note?: string): TargetCheck {
  const pass = measured === null ? null : bound === "max" ? measured <= limit : measured >= limit;
  return { gateway, goal, measured, unit, limit, bound, pass, ...(note ? { note } : {}) };
}

export function checkTargets({ cells, idle, slowStreams, gateways, throughputConcurrency, largeConcurrency, slowStreamCount }: Inputs): TargetCheck[] {
  const cell = (gateway: string, mode: Mode, prompt: "short" | "large", concurrency: number): CellResult | null =>
    cells.find((c) => c.target === gateway && c.mode === mode && c.prompt === prompt && c.concurrency === concurrency && !c.skipped) ?? null;
  const checks: TargetCheck[] = [];
  const c = throughputConcurrency;
  for (const gateway of gateways) {
    for (const mode of ["json", "stream"] as const) {
      checks.push(check(gateway, `CPU per request ≤ 2× floor (${mode}, c=${c})`, cell(gateway, mode, "short", c)?.cpuVsFloor ?? null, "× floor", "max", 2));
    }
    for (const mode of ["json", "stream"] as const) {
      checks.push(check(gateway, `throughput ≥ 60% of floor (${mode}, c=${c})`, cell(gateway, mode, "short", c)?.rpsVsFloor ?? null, "× floor", "min", 0.6));
    }
    checks.push(check(gateway, "added p50 over direct (json, c=1)", cell(gateway, "json", "short", 1)?.addedLatencyMs?.p50 ?? null, "ms", "max", 0.5));
    const stream1 = cell(gateway, "stream", "short", 1);
    checks.push(check(gateway, "stream TTFT overhead p50 (c=1)", stream1?.addedTtftMs?.p50 ?? null, "ms", "max", 1));
    checks.push(check(gateway, "stream TTFT overhead p99 (c=1)", stream1?.addedTtftMs?.p99 ?? null, "ms", "max", 2, "where the box is quiet"));
    checks.push(
      check(
        gateway,
        `150 KB prompt added p50 (json, c=${largeConcurrency})`,
        cell(gateway, "json", "large", largeConcurrency)?.addedLatencyMs?.p50 ?? null,
        "ms",
        "max",
        2,
      ),
    );
    const slow = slowStreams.find((s) => s.target === gateway);
    checks.push(check(gateway, `${slowStreamCount} slow streams: all complete`, slow?.completed ?? null, "streams", "min", slowStreamCount));
    checks.push(check(gateway, `${slowStreamCount} slow streams: peak RSS of the tree`, slow?.peakRssMb ?? null, "MB", "max", RSS_LIMIT_MB));
    checks.push(check(gateway, "idle CPU", idle.find((i) => i.target === gateway)?.cpuMsPerSecond ?? null, "ms/s", "max", 5));
  }
  return checks;
}
