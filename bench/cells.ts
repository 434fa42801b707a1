/**
 * One cell of the bench: one target, one request shape, one concurrency. A warm-up, then
 * the measured part, bracketed by readings of the server process tree's CPU time; and
 * afterwards the comparisons with direct, the floor and Portkey in the same cell.
 */
import os from "node:os";
import type { BenchConfig } from "./config.ts";
import { runCell, summarize, type RequestShape, type Target } from "./load.ts";
import { treeCpuMs } from "./proc-stats.ts";

export type Mode = "json" | "stream";
export type Stat = { p50: number; p99: number };
export type CellResult = {
  target: string;
  mode: Mode;
  prompt: RequestShape["prompt"];
  concurrency: number;
  sent: number;
  ok: number;
  errors: number;
  errorSamples: string[];
  rps: number;
  latencyMs: Stat | null;
  /** Time to the first content chunk (streams). */
  ttftMs: Stat | null;
  /** This target's percentile minus direct's in the same cell. */
  addedLatencyMs: Stat | null;
  addedTtftMs: Stat | null;
  /** CPU time of the server's process tree during the measured part, per completed request (null for direct). */
  cpuMsPerRequest: number | null;
  cpuVsFloor: number | null;
  rpsVsFloor: number | null;
  rpsVsPortkey: number | null;
  loadAvg1m: number;
  skipped?: string;
};

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
const stat = (values: number[]): Stat | null => {
  if (values.length === 0) return null;
  const s = summarize(values);
  return { p50: round(s.p50), p99: round(s.p99) };
};
const diff = (a: Stat | null, b: Stat | null): Stat | null => (a && b ? { p50: round(a.p50 - b.p50), p99: round(a.p99 - b.p99) } : null);
const ratio = (a: number | null, b: number | null): number | null => (a !== null && b !== null && b > 0 ? round(a / b) : null);

export function skippedCell(target: string, shape: RequestShape, concurrency: number, reason: string): CellResult {
  return {
    target,
    mode: shape.stream ? "stream" : "json",
    prompt: shape.prompt,
    concurrency,
    sent: 0,
    ok: 0,
    errors: 0,
    errorSamples: [],
    rps: 0,
    latencyMs: null,
    ttftMs: null,
    addedLatencyMs: null,
    addedTtftMs: null,
    cpuMsPerRequest: null,
    cpuVsFloor: null,
    rpsVsFloor: null,
    rpsVsPortkey: null,
    loadAvg1m: round(os.loadavg()[0], 1),
    skipped: reason,
  };
}

/** Measures one target in one cell; `serverPid` is the process tree whose CPU is read (none for direct). */
export async function measureCell(
  target: Target,
  serverPid: number | null,
  shape: RequestShape,
  concurrency: number,
  config: BenchConfig,
): Promise<CellResult> {
  const unavailable = target.unavailable?.[shape.stream ? "stream" : "json"];
  if (unavailable) return skippedCell(target.name, shape, concurrency, unavailable);
  const requestTimeoutMs = 30_000;
  // Warm-up fills the connection pools and JIT caches; its numbers are thrown away.
  await runCell(target, { ...shape, concurrency, requests: config.warmupRequests(concurrency), maxMs: config.warmupMs, requestTimeoutMs });
  await new Promise((resolve) => setTimeout(resolve, config.settleMs));
  const loadAvg1m = round(os.loadavg()[0], 1);
  const cpuBefore = serverPid === null ? 0 : treeCpuMs(serverPid);
  const s = await runCell(target, { ...shape, concurrency, requests: config.cellRequests, maxMs: config.cellMs, requestTimeoutMs });
  await new Promise((resolve) => setTimeout(resolve, config.settleMs));
  const cpuMs = serverPid === null ? null : treeCpuMs(serverPid) - cpuBefore;
  const ok = s.latenciesMs.length;
  return {
    target: target.name,
    mode: shape.stream ? "stream" : "json",
    prompt: shape.prompt,
    concurrency,
    sent: s.sent,
    ok,
    errors: s.errors,
    errorSamples: s.errorSamples,
    rps: round(ok / (s.elapsedMs / 1000), 1),
    latencyMs: stat(s.latenciesMs),
    ttftMs: shape.stream ? stat(s.ttftsMs) : null,
    addedLatencyMs: null,
    addedTtftMs: null,
    cpuMsPerRequest: cpuMs === null || ok === 0 ? null : round(cpuMs / ok, 3),
    cpuVsFloor: null,
    rpsVsFloor: null,
    rpsVsPortkey: null,
    loadAvg1m,
  };
}

/** Fills in each cell's comparisons with the other targets of the same cell. */
export function compareWithinCell(cells: CellResult[]): void {
  const byName = new Map(cells.filter((c) => !c.skipped).map((c) => [c.target, c]));
  const direct = byName.get("direct") ?? null;
  const floor = byName.get("floor") ?? null;
  const portkey = byName.get("portkey") ?? null;
  for (const cell of cells) {
    if (cell.skipped || cell.target === "direct") continue;
    cell.addedLatencyMs = diff(cell.latencyMs, direct?.latencyMs ?? null);
    cell.addedTtftMs = diff(cell.ttftMs, direct?.ttftMs ?? null);
    if (cell.target !== "floor") {
      cell.cpuVsFloor = ratio(cell.cpuMsPerRequest, floor?.cpuMsPerRequest ?? null);
      cell.rpsVsFloor = ratio(cell.rps, floor?.rps ?? null);
    }
    if (cell.target !== "portkey") cell.rpsVsPortkey = ratio(cell.rps, portkey?.rps ?? null);
  }
}
