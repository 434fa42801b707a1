/**
 * How big a bench run is: the full run (`npm run bench`, ~10 minutes) or, with
 * BENCH_SMOKE=1, a seconds-long run with the same cells and tiny counts, so tests keep the
 * script working. Single figures can be overridden from the environment (see README).
 */
import path from "node:path";
import { ROOT } from "./child-server.ts";

export type BenchConfig = {
  smoke: boolean;
  concurrencies: number[];
  /** Concurrency of the large-prompt cells. */
  largePromptConcurrency: number;
  /** A cell's measured part stops starting requests after this many, or after cellMs. */
  cellRequests: number;
  cellMs: number;
  warmupRequests: (concurrency: number) => number;
  warmupMs: number;
  /** Waited after a cell's last reply before reading CPU, so batched writes of its requests count. */
  settleMs: number;
  idleMs: number;
  slowStreams: { count: number; seconds: number; tokensPerSecond: number; rampSeconds: number; targets: string[] };
  /** Gateways to run (direct always runs); empty = all. */
  only: string[];
  resultsFile: string;
  build: boolean;
};

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

function listFromEnv(name: string, fallback: string[]): string[] {
  const raw = process.env[name]?.trim();
  return raw
    ? raw
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean)
    : fallback;
}

export function benchConfig(): BenchConfig {
  const smoke = process.env.BENCH_SMOKE === "1";
  const slowCount = numberFromEnv("BENCH_SLOW_STREAMS", smoke ? 5 : 1000);
  return {
    smoke,
    concurrencies: smoke ? [1, 8] : [1, 8, 32, 128],
    largePromptConcurrency: 4,
    cellRequests: numberFromEnv("BENCH_CELL_REQUESTS", 1_000_000),
    // Cells are timed, not counted, so a cheap target still runs long enough for its CPU
    // time to span several clock ticks (10 ms each).
    cellMs: numberFromEnv("BENCH_CELL_SECONDS", smoke ? 0.3 : 3) * 1000,
    warmupRequests: smoke ? (c) => c : (c) => Math.max(30, c * 3),
    warmupMs: smoke ? 1000 : 2000,
    settleMs: smoke ? 100 : 400,
    idleMs: numberFromEnv("BENCH_IDLE_SECONDS", smoke ? 1 : 10) * 1000,
    slowStreams: {
      count: Math.round(slowCount),
      seconds: numberFromEnv("BENCH_SLOW_STREAM_SECONDS", smoke ? 2 : 60),
      tokensPerSecond: 20,
      rampSeconds: numberFromEnv("BENCH_SLOW_STREAM_RAMP_SECONDS", smoke ? 0.2 : 5),
      // The floor is the control: it shows whether the box, the fake and the client carry them at all.
      targets: listFromEnv("BENCH_SLOW_STREAM_TARGETS", ["floor", "switchyard-sqlite"]),
    },
    only: listFromEnv("BENCH_TARGETS", []),
    resultsFile: path.resolve(ROOT, process.env.BENCH_RESULTS_FILE?.trim() || "bench/results/latest.json"),
    build: !smoke && process.env.BENCH_NO_BUILD !== "1",
  };
}
