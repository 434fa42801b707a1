/**
 * Keeps `npm run bench` from rotting: the real script, CI-sized (BENCH_SMOKE=1: every
 * target and cell for a fraction of a second, a few short slow streams), must finish,
 * print its tables and JSON, and report a result for every cell in which every request
 * succeeded. No timing is asserted: speed is the full bench's job.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

type Stat = { p50: number; p99: number };
type Cell = {
  target: string;
  mode: string;
  prompt: string;
  concurrency: number;
  sent: number;
  ok: number;
  errors: number;
  rps: number;
  latencyMs: Stat | null;
  ttftMs: Stat | null;
  addedLatencyMs: Stat | null;
  cpuMsPerRequest: number | null;
  skipped?: string;
};
type Results = {
  smoke: boolean;
  gateways: { name: string; available: boolean; reason?: string; cpuMsDuringRun?: number }[];
  cells: Cell[];
  memory: { target: string; peakMb: number }[];
  idle: { target: string; cpuMsPerSecond: number }[];
  slowStreams: { target: string; streams: number; completed: number; firstChunkMs: { max: number } | null; peakRssMb: number }[];
  targets: { gateway: string; goal: string; pass: boolean | null }[];
};

function runBench(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "bench/run.ts"], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const positive = (n: number | null | undefined): boolean => typeof n === "number" && Number.isFinite(n) && n > 0;

describe("npm run bench, smoke-sized", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-smoke-"));
  const resultsFile = path.join(dir, "results.json");
  let run: { code: number | null; stdout: string; stderr: string };
  let results: Results;

  beforeAll(async () => {
    run = await runBench({ BENCH_SMOKE: "1", BENCH_RESULTS_FILE: resultsFile });
    if (run.code !== 0) throw new Error(`bench exited with ${run.code}:\n${run.stderr.slice(-3000)}`);
    results = JSON.parse(readFileSync(resultsFile, "utf8")) as Results;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the tables and the same JSON it writes", () => {
    expect(run.stdout).toContain("targets (issue 15; reporting only):");
    const printed = JSON.parse(run.stdout.slice(run.stdout.indexOf("\n{") + 1)) as Results;
    expect(printed).toEqual(results);
    expect(results.smoke).toBe(true);
  });

  it("runs the floor and Switchyard on SQLite, and reports why any other gateway did not run", () => {
    const available = results.gateways.filter((g) => g.available).map((g) => g.name);
    expect(available).toEqual(expect.arrayContaining(["floor", "switchyard-sqlite"]));
    for (const gateway of results.gateways) {
      if (gateway.available) expect(positive(gateway.cpuMsDuringRun), `${gateway.name} used CPU`).toBe(true);
      else expect(gateway.reason, gateway.name).toBeTruthy();
    }
  });

  it("measures every cell of every running target with every request succeeding", () => {
    const targets = ["direct", ...results.gateways.filter((g) => g.available).map((g) => g.name)];
    const cases = new Set(results.cells.map((c) => `${c.mode}/${c.prompt}/${c.concurrency}`));
    expect([...cases].sort()).toEqual(["json/large/4", "json/short/1", "json/short/8", "stream/large/4", "stream/short/1", "stream/short/8"]);
    for (const target of targets) {
      const cells = results.cells.filter((c) => c.target === target);
      expect(cells, target).toHaveLength(cases.size);
      for (const cell of cells) {
        const where = `${target} ${cell.mode} ${cell.prompt} c=${cell.concurrency}`;
        if (cell.skipped) {
          // Only Portkey has a known reason to skip a mode (its streaming clash); the rest must run.
          expect(target, `${where}: ${cell.skipped}`).toBe("portkey");
          continue;
        }
        expect(cell.errors, where).toBe(0);
        expect(cell.ok, where).toBe(cell.sent);
        expect(cell.ok, where).toBeGreaterThan(0);
        expect(positive(cell.rps) && positive(cell.latencyMs?.p50) && positive(cell.latencyMs?.p99), where).toBe(true);
        if (cell.mode === "stream") expect(positive(cell.ttftMs?.p50), where).toBe(true);
        if (target === "direct") expect(cell.cpuMsPerRequest).toBeNull();
        else {
          expect(cell.cpuMsPerRequest, where).toBeGreaterThanOrEqual(0);
          expect(cell.addedLatencyMs, where).not.toBeNull();
        }
      }
    }
  });

  it("reports memory, idle CPU, slow streams and a verdict or 'not measured' for every target", () => {
    const running = results.gateways.filter((g) => g.available).map((g) => g.name);
    expect(results.memory.map((m) => m.target).sort()).toEqual([...running].sort());
    for (const m of results.memory) expect(positive(m.peakMb), m.target).toBe(true);
    expect(results.idle.map((i) => i.target).sort()).toEqual([...running].sort());
    for (const i of results.idle) expect(i.cpuMsPerSecond, i.target).toBeGreaterThanOrEqual(0);

    expect(results.slowStreams.map((s) => s.target)).toEqual(["floor", "switchyard-sqlite"]);
    for (const slow of results.slowStreams) {
      expect(slow.completed, slow.target).toBe(slow.streams);
      expect(positive(slow.firstChunkMs?.max) && positive(slow.peakRssMb), slow.target).toBe(true);
    }

    const switchyards = running.filter((name) => name.startsWith("switchyard-"));
    expect(new Set(results.targets.map((t) => t.gateway))).toEqual(new Set(switchyards));
    // Every target is measured in a smoke run too, except that the CPU ratio needs the
    // floor's CPU time in a cell to reach one clock tick.
    const sqlite = results.targets.filter((t) => t.gateway === "switchyard-sqlite");
    expect(sqlite.length).toBeGreaterThanOrEqual(11);
    expect(sqlite.filter((t) => t.pass === null && !t.goal.startsWith("CPU per request")).map((t) => t.goal)).toEqual([]);
  });
});
