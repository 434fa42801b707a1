/**
 * `npm run bench`: what does the gateway add? The same chat completion load goes straight
 * to the fake upstream, through Switchyard and through Portkey's open-source gateway, and
 * the differences in latency, time to first token, throughput and memory are reported.
 * Progress goes to stderr; stdout gets the table, then the same results as JSON.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/server.ts";
import { makeAgent, runCell, summarize, type Target } from "./load.ts";
import { startPortkeyGateway, startSwitchyardGateway, Unavailable, type Gateway, type RssReport } from "./targets.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESULTS_FILE = path.join(ROOT, "bench/results/latest.json");
const CONCURRENCIES = [1, 8, 32];
const REQUESTS_PER_CELL = 300;
// Small fixed upstream delay with no token pacing: whatever exceeds direct is the gateway's.
const FAKE_DEFAULTS = { outputTokens: 20, ttftMs: 20, tokensPerSecond: 0 };
const CELL_MAX_MS = 20_000;
// Cells left when this is spent are reported as skipped, keeping the run near 3 minutes.
const LOAD_BUDGET_MS = 150_000;
const REQUEST_TIMEOUT_MS = 15_000;
const BUDGET_SPENT = "time budget spent";

type Mode = "json" | "stream";
type Stat = { p50: number; p99: number };
type CellResult = {
  target: string;
  mode: Mode;
  concurrency: number;
  sent: number;
  ok: number;
  errors: number;
  errorSamples: string[];
  rps: number;
  latencyMs: Stat;
  addedLatencyMs: Stat | null;
  ttftMs: Stat | null;
  addedTtftMs: Stat | null;
  skipped?: string;
};
type MemoryResult = { target: string } & RssReport;

const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
const round = (n: number): number => Math.round(n * 10) / 10;
const diff = (a: Stat, b: Stat): Stat => ({ p50: round(a.p50 - b.p50), p99: round(a.p99 - b.p99) });

async function measure(target: Target, mode: Mode, concurrency: number, budgetLeft: number): Promise<CellResult> {
  const stream = mode === "stream";
  const base = { target: target.name, mode, concurrency };
  const skipped = target.unavailable?.[mode] ?? (budgetLeft <= 0 ? BUDGET_SPENT : null);
  if (skipped) {
    const none = { p50: Number.NaN, p99: Number.NaN };
    return { ...base, sent: 0, ok: 0, errors: 0, errorSamples: [], rps: 0, latencyMs: none, addedLatencyMs: null, ttftMs: null, addedTtftMs: null, skipped };
  }
  // Warm-up fills the connection pools and JIT caches; its numbers are thrown away.
  await runCell(target, { stream, concurrency, requests: Math.max(20, concurrency * 2), maxMs: 5000, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  const s = await runCell(target, { stream, concurrency, requests: REQUESTS_PER_CELL, maxMs: Math.min(CELL_MAX_MS, budgetLeft), requestTimeoutMs: REQUEST_TIMEOUT_MS });
  const latency = summarize(s.latenciesMs);
  const ttft = summarize(s.ttftsMs);
  return {
    ...base,
    sent: s.sent,
    ok: s.latenciesMs.length,
    errors: s.errors,
    errorSamples: s.errorSamples,
    rps: round(s.latenciesMs.length / (s.elapsedMs / 1000)),
    latencyMs: { p50: round(latency.p50), p99: round(latency.p99) },
    addedLatencyMs: null,
    ttftMs: stream ? { p50: round(ttft.p50), p99: round(ttft.p99) } : null,
    addedTtftMs: null,
  };
}

function buildIfStale(): void {
  log("checking the production build (scripts/build.ts --if-stale)");
  // Build output goes to stderr so stdout stays the report.
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/build.ts", "--if-stale"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  if (result.status !== 0) throw new Error(`the build failed (exit ${result.status ?? result.signal})`);
}

const fmt = (n: number | undefined | null): string => (n === undefined || n === null || Number.isNaN(n) ? "-" : String(n));
const signed = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? "-" : `${n >= 0 ? "+" : ""}${n}`);
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")).join("\n");
}

function report(cells: CellResult[], memory: MemoryResult[], portkeyReason: string | null): string {
  const header = ["target", "mode", "conc", "req/s", "p50 ms", "p99 ms", "+p50", "+p99", "ttft p50", "+ttft p50", "errors"];
  const rows = cells.map((c) => [
    c.target, c.mode, String(c.concurrency), c.skipped ? "skipped" : fmt(c.rps), fmt(c.latencyMs.p50), fmt(c.latencyMs.p99),
    signed(c.addedLatencyMs?.p50), signed(c.addedLatencyMs?.p99), fmt(c.ttftMs?.p50), signed(c.addedTtftMs?.p50), `${c.errors}/${c.sent}`,
  ]);
  const lines = [table([header, ...rows])];
  if (portkeyReason) lines.push(`portkey: unavailable (${portkeyReason})`);
  const skips = new Map(cells.filter((c) => c.skipped).map((c) => [`${c.target} ${c.mode}`, c.skipped!]));
  for (const [what, why] of skips) lines.push(`${what}: ${why === BUDGET_SPENT ? "skipped" : "unavailable"} (${why})`);
  lines.push("", table([["gateway", "rss at start", "peak rss (tree)", "peak largest process"], ...memory.map((m) => [m.target, mb(m.startKb), mb(m.peakKb), `${mb(m.peakLargestKb)} (${m.largestCommand})`])]));
  const failures = cells.filter((c) => c.errorSamples.length > 0).map((c) => `  ${c.target} ${c.mode} c=${c.concurrency}: ${c.errorSamples.join(" | ")}`);
  if (failures.length) lines.push("", "errors seen:", ...failures);
  lines.push("", "+ columns: the gateway's percentile minus direct's, same mode and concurrency. Latency = whole reply; ttft = first content chunk.");
  return lines.join("\n");
}

async function main(): Promise<void> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async (): Promise<void> => {
    while (cleanups.length) await cleanups.pop()!().catch((error: unknown) => log(`clean-up: ${String(error)}`));
  };
  // Interrupted runs still stop what they started.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

  try {
    buildIfStale();
    const fake: FakeUpstream = await startFakeUpstream({ defaults: FAKE_DEFAULTS });
    cleanups.push(() => fake.close());
    log(`fake upstream on ${fake.url}`);

    log("starting switchyard");
    const switchyard: Gateway = await startSwitchyardGateway(fake.url);
    cleanups.push(() => switchyard.stop());
    log(`switchyard on ${switchyard.target.url} (pid ${switchyard.pid})`);

    let portkey: Gateway | null = null;
    let portkeyReason: string | null = null;
    try {
      portkey = await startPortkeyGateway(fake.url);
      const running = portkey;
      cleanups.push(() => running.stop());
      log(`portkey on ${portkey.target.url} (pid ${portkey.pid})`);
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      portkeyReason = error.message;
      log(`portkey unavailable: ${portkeyReason}`);
    }

    const direct: Target = { name: "direct", url: `${fake.url}/p/direct/v1/chat/completions`, headers: { authorization: "Bearer bench-upstream-key" }, model: "echo", agent: makeAgent() };
    const gateways = [switchyard, ...(portkey ? [portkey] : [])];
    const targets = [direct, ...gateways.map((g) => g.target)];
    cleanups.push(async () => void (await Promise.all(targets.map((t) => t.agent.close()))));

    const cells: CellResult[] = [];
    const started = Date.now();
    // Everything shares 2 cores here: a busy machine makes the numbers noisy, so say so.
    const loadBefore = os.loadavg()[0];
    for (const mode of ["json", "stream"] as const) {
      for (const concurrency of CONCURRENCIES) {
        // Targets take turns within a cell so slow drift of the machine hits them alike.
        let baseline: CellResult | null = null;
        for (const target of targets) {
          const cell = await measure(target, mode, concurrency, LOAD_BUDGET_MS - (Date.now() - started));
          if (target === direct) baseline = cell;
          else if (baseline && !cell.skipped) {
            cell.addedLatencyMs = diff(cell.latencyMs, baseline.latencyMs);
            if (cell.ttftMs && baseline.ttftMs) cell.addedTtftMs = diff(cell.ttftMs, baseline.ttftMs);
          }
          cells.push(cell);
          log(`${target.name} ${mode} c=${concurrency}: ${cell.skipped ?? `${cell.rps} req/s, p50 ${cell.latencyMs.p50} ms, ${cell.errors} errors`}`);
        }
      }
    }

    const memory: MemoryResult[] = gateways.map((g) => ({ target: g.target.name, ...g.rss.stop() }));
    const upstreamCalls = Object.fromEntries(Object.entries(fake.stats().byProvider).map(([name, s]) => [name, s.calls]));
    const results = {
      generatedAt: new Date().toISOString(),
      machine: { node: process.version, cpus: os.cpus().length, platform: `${os.platform()} ${os.release()}`, loadAvg1mBefore: round(loadBefore), loadAvg1mAfter: round(os.loadavg()[0]) },
      config: { concurrencies: CONCURRENCIES, requestsPerCell: REQUESTS_PER_CELL, fake: FAKE_DEFAULTS, cellMaxMs: CELL_MAX_MS, loadBudgetMs: LOAD_BUDGET_MS },
      portkey: portkeyReason ? { available: false, reason: portkeyReason } : { available: true },
      cells,
      memory,
      upstreamCalls,
      loadSeconds: round((Date.now() - started) / 1000),
    };
    const json = JSON.stringify(results, null, 2);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${json}\n`);
    const busy = loadBefore > 1 ? `\nnote: the 1-minute load average was ${round(loadBefore)} before the run (other work on this machine): expect noise.\n` : "";
    process.stdout.write(`${report(cells, memory, portkeyReason)}\n${busy}\n${json}\n`);
    log(`results written to ${path.relative(ROOT, RESULTS_FILE)}`);
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
