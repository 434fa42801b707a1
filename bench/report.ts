/** The human-readable side of a bench run: plain-text tables for stdout. */
import type { CellResult } from "./cells.ts";
import type { RssReport } from "./proc-stats.ts";
import type { SlowStreamResult } from "./slow-streams.ts";
import type { IdleResult, TargetCheck } from "./targets-check.ts";

export type GatewayStatus = { name: string; available: boolean; reason?: string; pid?: number; cpuMsDuringRun?: number };
export type MemoryResult = { target: string } & RssReport;
export type ReportInput = {
  gateways: GatewayStatus[];
  cells: CellResult[];
  memory: MemoryResult[];
  idle: IdleResult[];
  slowStreams: SlowStreamResult[];
  targets: TargetCheck[];
  loadAvg1m: { before: number; after: number };
};

const fmt = (n: number | undefined | null): string => (n === undefined || n === null || Number.isNaN(n) ? "-" : String(n));
const signed = (n: number | undefined | null): string => (n === undefined || n === null || Number.isNaN(n) ? "-" : `${n >= 0 ? "+" : ""}${n}`);

/** Left-aligns the first `textColumns` columns and right-aligns the numbers. */
function table(rows: string[][], textColumns: number): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i < textColumns ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function cellTable(cells: CellResult[]): string {
  const header = [
    "target",
    "case",
    "c",
    "req/s",
    "p50",
    "p99",
    "+p50",
    "+p99",
    "ttft p50",
    "+ttft p50",
    "+ttft p99",
    "cpu ms/req",
    "cpu ×floor",
    "rps ×floor",
    "rps ×portkey",
    "errors",
  ];
  const rows = cells.map((c) => [
    c.target,
    `${c.mode}${c.prompt === "large" ? " 150KB" : ""}`,
    String(c.concurrency),
    c.skipped ? "skipped" : fmt(c.rps),
    fmt(c.latencyMs?.p50),
    fmt(c.latencyMs?.p99),
    signed(c.addedLatencyMs?.p50),
    signed(c.addedLatencyMs?.p99),
    fmt(c.ttftMs?.p50),
    signed(c.addedTtftMs?.p50),
    signed(c.addedTtftMs?.p99),
    fmt(c.cpuMsPerRequest),
    fmt(c.cpuVsFloor),
    fmt(c.rpsVsFloor),
    fmt(c.rpsVsPortkey),
    `${c.errors}/${c.sent}`,
  ]);
  return table([header, ...rows], 2);
}

function targetLine(t: TargetCheck): string[] {
  const verdict = t.pass === null ? "not measured" : t.pass ? "pass" : "MISS";
  return [
    t.gateway,
    t.goal + (t.note ? ` (${t.note})` : ""),
    verdict,
    t.measured === null ? "-" : `${t.measured} ${t.unit}`,
    `${t.bound === "max" ? "≤" : "≥"} ${t.limit} ${t.unit}`,
  ];
}

export function renderReport(input: ReportInput): string {
  const lines = ["Latency in ms; + columns: this target's percentile minus direct's in the same cell; ttft = first content chunk.", "", cellTable(input.cells)];
  const unavailable = input.gateways.filter((g) => !g.available);
  for (const g of unavailable) lines.push(`${g.name}: unavailable (${g.reason})`);
  const skips = new Map(input.cells.filter((c) => c.skipped).map((c) => [`${c.target} ${c.mode}`, c.skipped!]));
  for (const [what, why] of skips) if (!unavailable.some((g) => what.startsWith(`${g.name} `))) lines.push(`${what}: skipped (${why})`);

  const idle = new Map(input.idle.map((i) => [i.target, i.cpuMsPerSecond]));
  lines.push(
    "",
    table(
      [
        ["gateway", "rss at start", "peak rss (tree, cells)", "peak largest process", "idle cpu ms/s"],
        ...input.memory.map((m) => [m.target, `${m.startMb} MB`, `${m.peakMb} MB`, `${m.peakLargestMb} MB (${m.largestCommand})`, fmt(idle.get(m.target))]),
      ],
      1,
    ),
  );

  if (input.slowStreams.length) {
    const header = [
      "slow streams",
      "streams",
      "seconds",
      "completed",
      "first chunk p50",
      "first chunk max",
      "slowest stream",
      "rss before",
      "peak rss (tree)",
      "client cpu ms/s",
      "fake cpu ms/s",
    ];
    const rows = input.slowStreams.map((s) => [
      s.target,
      String(s.streams),
      String(s.seconds),
      String(s.completed),
      `${fmt(s.firstChunkMs?.p50)} ms`,
      `${fmt(s.firstChunkMs?.max)} ms`,
      `${fmt(s.slowestMs)} ms`,
      `${s.rssBeforeMb} MB`,
      `${s.peakRssMb} MB`,
      String(s.clientCpuMsPerSecond),
      String(s.fakeCpuMsPerSecond),
    ]);
    lines.push("", table([header, ...rows], 1));
  }

  lines.push("", "targets (issue 15; reporting only):", table([["gateway", "target", "result", "measured", "limit"], ...input.targets.map(targetLine)], 3));

  const failures = [
    ...input.cells.filter((c) => c.errorSamples.length > 0).map((c) => `  ${c.target} ${c.mode} ${c.prompt} c=${c.concurrency}: ${c.errorSamples.join(" | ")}`),
    ...input.slowStreams.filter((s) => s.errorSamples.length > 0).map((s) => `  ${s.target} slow streams: ${s.errorSamples.join(" | ")}`),
  ];
  if (failures.length) lines.push("", "errors seen:", ...failures);
  if (input.loadAvg1m.before > 1 || input.loadAvg1m.after > 1) {
    lines.push(
      "",
      `note: 1-minute load average ${input.loadAvg1m.before} before, ${input.loadAvg1m.after} after (other work on this machine): latency and rps are noisy; CPU per request is the steadier figure.`,
    );
  }
  return lines.join("\n");
}
