/**
 * `npm run bench`: what does a gateway cost? The same chat completion load goes straight to
 * the fake upstream (direct), through a bare node:http + undici proxy (the floor), through
 * Portkey's open-source gateway and through Switchyard on SQLite, PostgreSQL and with
 * Redis; targets take turns within each cell so drift of a shared machine hits them alike.
 * Then idle CPU, and many slow concurrent streams. Progress goes to stderr; stdout gets
 * the tables, then the same results as JSON (also written to bench/results/latest.json).
 * BENCH_SMOKE=1 runs the same in seconds (tests/integration/bench-smoke.test.ts).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { compareWithinCell, measureCell, round, skippedCell, type CellResult } from "./cells.ts";
import { ROOT, Unavailable } from "./child-server.ts";
import { benchConfig, type BenchConfig } from "./config.ts";
import { makeAgent, type RequestShape, type Target } from "./load.ts";
import { treeCpuMs } from "./proc-stats.ts";
import { renderReport, type GatewayStatus, type MemoryResult } from "./report.ts";
import { runSlowStreams, type SlowStreamResult } from "./slow-streams.ts";
import { SLOW_FAKE_PROVIDER, SLOW_MODEL, startSwitchyardGateway } from "./switchyard-target.ts";
import { checkTargets, type IdleResult } from "./targets-check.ts";
import { startFakeProcess, startFloorProxy, startPortkeyGateway, UPSTREAM_KEY, type FakeProcess, type Gateway } from "./targets.ts";

// Zero-delay upstream with no token pacing: whatever exceeds direct is the gateway's.
const FAKE_DEFAULTS = { outputTokens: 20, ttftMs: 0, tokensPerSecond: 0 };
const MAX_TOKENS = 64;

const startedAt = performance.now();
const log = (line: string): void => void process.stderr.write(`bench [${((performance.now() - startedAt) / 1000).toFixed(0)} s]: ${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function buildIfStale(): void {
  log("checking the production build (scripts/build.ts --if-stale)");
  // Build output goes to stderr so stdout stays the report.
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/build.ts", "--if-stale"], {
    cwd: ROOT,
    stdio: ["ignore", 2, 2],
  });
  if (result.status !== 0) throw new Error(`the build failed (exit ${result.status ?? result.signal})`);
}

type Starter = { name: string; start(connections: number): Promise<Gateway> };

function starters(fakeUrl: string, config: BenchConfig): Starter[] {
  const all: Starter[] = [
    { name: "floor", start: (n) => startFloorProxy(fakeUrl, n) },
    { name: "portkey", start: (n) => startPortkeyGateway(fakeUrl, n) },
    ...(["sqlite", "postgres", "redis"] as const).map((variant) => ({
      name: `switchyard-${variant}`,
      start: (n: number) => startSwitchyardGateway(variant, fakeUrl, n),
    })),
  ];
  return config.only.length ? all.filter((s) => config.only.includes(s.name)) : all;
}

/** Starts every gateway at once; one that cannot run here is reported, not fatal. */
async function startGateways(
  fakeUrl: string,
  config: BenchConfig,
  onStarted: (g: Gateway) => void,
): Promise<{ gateways: Gateway[]; statuses: GatewayStatus[] }> {
  const connections = Math.max(...config.concurrencies, config.largePromptConcurrency);
  const list = starters(fakeUrl, config);
  const settled = await Promise.allSettled(
    list.map(async (s) => {
      const gateway = await s.start(connections);
      onStarted(gateway);
      log(`${s.name} on ${new URL(gateway.target.url).origin} (pid ${gateway.pid})`);
      return gateway;
    }),
  );
  const gateways: Gateway[] = [];
  const statuses: GatewayStatus[] = [];
  settled.forEach((outcome, i) => {
    if (outcome.status === "fulfilled") {
      gateways.push(outcome.value);
      statuses.push({ name: list[i].name, available: true });
      return;
    }
    if (!(outcome.reason instanceof Unavailable)) throw outcome.reason;
    statuses.push({ name: list[i].name, available: false, reason: outcome.reason.message });
    log(`${list[i].name} unavailable: ${outcome.reason.message}`);
  });
  return { gateways, statuses };
}

/** Every cell: each shape and concurrency, each target in turn (direct first, the others rotating). */
async function runCells(direct: Target, gateways: Gateway[], config: BenchConfig): Promise<CellResult[]> {
  const cases: { shape: RequestShape; concurrency: number }[] = [];
  for (const stream of [false, true]) {
    for (const concurrency of config.concurrencies) cases.push({ shape: { stream, prompt: "short", maxTokens: MAX_TOKENS }, concurrency });
  }
  for (const stream of [false, true]) cases.push({ shape: { stream, prompt: "large", maxTokens: MAX_TOKENS }, concurrency: config.largePromptConcurrency });

  const cells: CellResult[] = [];
  for (const [index, { shape, concurrency }] of cases.entries()) {
    const rotated = [...gateways.slice(index % Math.max(1, gateways.length)), ...gateways.slice(0, index % Math.max(1, gateways.length))];
    const inCell: CellResult[] = [];
    for (const { target, pid } of [{ target: direct, pid: null }, ...rotated]) {
      const cell = await measureCell(target, pid, shape, concurrency, config).catch((error: unknown) =>
        skippedCell(target.name, shape, concurrency, `failed: ${String(error)}`),
      );
      inCell.push(cell);
      log(
        `${target.name} ${cell.mode}${shape.prompt === "large" ? " 150KB" : ""} c=${concurrency}: ${cell.skipped ?? `${cell.rps} req/s, p50 ${cell.latencyMs?.p50} ms, cpu ${cell.cpuMsPerRequest ?? "-"} ms/req, ${cell.errors} errors`}`,
      );
    }
    compareWithinCell(inCell);
    // Reported in a fixed order, whatever order the targets ran in.
    const order = ["direct", ...gateways.map((g) => g.target.name)];
    cells.push(...inCell.sort((a, b) => order.indexOf(a.target) - order.indexOf(b.target)));
  }
  return cells;
}

/** CPU of every gateway over the same quiet stretch, after the load (so after warm-up). */
async function measureIdle(gateways: Gateway[], config: BenchConfig): Promise<IdleResult[]> {
  await sleep(Math.min(2000, config.idleMs));
  const before = gateways.map((g) => treeCpuMs(g.pid));
  const started = performance.now();
  await sleep(config.idleMs);
  const seconds = (performance.now() - started) / 1000;
  return gateways.map((g, i) => ({ target: g.target.name, seconds: round(seconds, 1), cpuMsPerSecond: round((treeCpuMs(g.pid) - before[i]) / seconds) }));
}

/**
 * Slow streams through each chosen gateway in turn. Switchyard reaches the paced fake
 * provider through its `bench/slow` model; the floor, run as a control (can this box, the
 * fake and the client carry that many streams at all?), by passing the knobs as headers.
 */
async function measureSlowStreams(gateways: Gateway[], fake: FakeProcess, config: BenchConfig): Promise<SlowStreamResult[]> {
  const { count, seconds, tokensPerSecond, targets } = config.slowStreams;
  const chosen = gateways.filter((g) => targets.includes(g.target.name) && (g.kind === "switchyard" || g.kind === "floor"));
  if (count === 0 || chosen.length === 0) return [];
  const outputTokens = Math.max(1, Math.round(seconds * tokensPerSecond));
  await fake.setKnobs(SLOW_FAKE_PROVIDER, { tokensPerSecond, outputTokens });
  const knobHeaders = { "x-fake-tokens-per-second": String(tokensPerSecond), "x-fake-output-tokens": String(outputTokens) };
  const results: SlowStreamResult[] = [];
  for (const gateway of chosen) {
    const target =
      gateway.kind === "floor" ? { ...gateway.target, headers: { ...gateway.target.headers, ...knobHeaders } } : { ...gateway.target, model: SLOW_MODEL };
    log(`${target.name}: ${count} streams at ${tokensPerSecond} tokens/s for ${seconds} s`);
    const result = await runSlowStreams(target, gateway.pid, {
      count,
      seconds,
      tokensPerSecond,
      rampSeconds: config.slowStreams.rampSeconds,
      fakePid: fake.pid,
    });
    log(
      `${target.name}: ${result.completed}/${count} completed, first chunk max ${result.firstChunkMs?.max ?? "-"} ms, peak rss ${result.peakRssMb} MB, client ${result.clientCpuMsPerSecond} and fake ${result.fakeCpuMsPerSecond} ms CPU/s`,
    );
    results.push(result);
  }
  return results;
}

async function main(): Promise<void> {
  const config = benchConfig();
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async (): Promise<void> => {
    while (cleanups.length) await cleanups.pop()!().catch((error: unknown) => log(`clean-up: ${String(error)}`));
  };
  // Interrupted runs still stop what they started (and drop the databases they made).
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

  try {
    if (config.build) buildIfStale();
    const started = Date.now();
    const loadBefore = round(os.loadavg()[0], 1);
    const fake = await startFakeProcess(FAKE_DEFAULTS);
    cleanups.push(fake.stop);
    log(`fake upstream on ${fake.url} (pid ${fake.pid})`);

    const { gateways, statuses } = await startGateways(fake.url, config, (g) => cleanups.push(g.stop));
    const direct: Target = {
      name: "direct",
      url: `${fake.url}/p/direct/v1/chat/completions`,
      headers: { authorization: `Bearer ${UPSTREAM_KEY}` },
      model: "echo",
      agent: makeAgent(Math.max(...config.concurrencies)),
    };
    const targets = [direct, ...gateways.map((g) => g.target)];
    cleanups.push(async () => void (await Promise.all(targets.map((t) => t.agent.close()))));
    const cpuAtStart = new Map(gateways.map((g) => [g.target.name, treeCpuMs(g.pid)]));

    const cells = await runCells(direct, gateways, config);
    const memory: MemoryResult[] = gateways.map((g) => ({ target: g.target.name, ...g.rss.soFar() }));
    log(`idle CPU over ${config.idleMs / 1000} s`);
    const idle = await measureIdle(gateways, config);
    const slowStreams = await measureSlowStreams(gateways, fake, config);
    for (const status of statuses) {
      const gateway = gateways.find((g) => g.target.name === status.name);
      if (gateway) Object.assign(status, { pid: gateway.pid, cpuMsDuringRun: round(treeCpuMs(gateway.pid) - cpuAtStart.get(status.name)!, 0) });
    }
    for (const g of gateways) g.rss.stop();

    const switchyards = gateways.filter((g) => g.kind === "switchyard").map((g) => g.target.name);
    const throughputConcurrency = config.concurrencies.includes(32) ? 32 : Math.max(...config.concurrencies);
    const targetChecks = checkTargets({
      cells,
      idle,
      slowStreams,
      gateways: switchyards,
      throughputConcurrency,
      largeConcurrency: config.largePromptConcurrency,
      slowStreamCount: config.slowStreams.count,
    });
    const loadAvg1m = { before: loadBefore, after: round(os.loadavg()[0], 1) };
    const results = {
      generatedAt: new Date().toISOString(),
      smoke: config.smoke,
      machine: { node: process.version, cpus: os.cpus().length, platform: `${os.platform()} ${os.release()}`, loadAvg1m },
      config: {
        concurrencies: config.concurrencies,
        largePromptConcurrency: config.largePromptConcurrency,
        cellRequests: config.cellRequests,
        cellMs: config.cellMs,
        settleMs: config.settleMs,
        idleMs: config.idleMs,
        slowStreams: config.slowStreams,
        fake: FAKE_DEFAULTS,
        maxTokens: MAX_TOKENS,
      },
      gateways: statuses,
      cells,
      memory,
      idle,
      slowStreams,
      targets: targetChecks,
      upstreamCalls: await fake.callsByProvider(),
      seconds: round((Date.now() - started) / 1000, 0),
    };
    const json = JSON.stringify(results, null, 2);
    mkdirSync(path.dirname(config.resultsFile), { recursive: true });
    writeFileSync(config.resultsFile, `${json}\n`);
    process.stdout.write(`${renderReport({ gateways: statuses, cells, memory, idle, slowStreams, targets: targetChecks, loadAvg1m })}\n\n${json}\n`);
    log(`results written to ${path.relative(ROOT, config.resultsFile)}`);
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
