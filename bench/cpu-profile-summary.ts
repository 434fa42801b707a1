/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof` or the inspector) and sums self time
 * by function and by part of the code base, so a profile can be read in a terminal.
 *
 *   npx tsx bench/cpu-profile-summary.ts some.cpuprofile [--top 30]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

export type ProfileSummary = {
  /** sampled milliseconds, idle excluded */
  busyMs: number;
  idleMs: number;
  byPart: { part: string; ms: number; share: number }[];
  byFunction: { fn: string; part: string; ms: number; share: number }[];
};

const ROOT = path.resolve(import.meta.dirname, "..");

/** Which part of the system a frame belongs to; the order of the tests matters. */
export function partOf(url: string, functionName: string): string {
  if (functionName === "(idle)") return "(idle)";
  if (functionName === "(garbage collector)") return "gc";
  if (functionName === "(program)") return "v8 (program)";
  if (!url) return "native / builtins";
  const file = url.startsWith("file://") ? url.slice(7) : url;
  if (file.startsWith("node:")) return `node:${file.slice(5).split("/")[0]}`;
  const rel = path.relative(ROOT, file);
  if (rel.startsWith("lib/gateway/")) return `core: ${rel.slice("lib/gateway/".length).split("/")[0].replace(/\.ts$/, "")}`;
  if (rel.startsWith("lib/billing/")) return "billing";
  if (rel.startsWith("lib/db/") || rel.includes("@prisma") || rel.includes("prisma")) return "prisma / db";
  if (rel.includes("@libsql") || rel.includes("libsql")) return "libsql";
  if (rel.includes("node_modules/zod")) return "zod";
  if (rel.includes("node_modules/undici")) return "undici (npm)";
  if (rel.includes("node_modules/tsx")) return "tsx loader";
  if (rel.includes("node_modules/")) return `npm: ${rel.split("node_modules/")[1].split("/")[0]}`;
  if (rel.startsWith("bench/")) return "harness (door)";
  if (rel.startsWith("lib/")) return `lib: ${rel.slice(4).split("/")[0]}`;
  return rel;
}

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time between sample i-1 and sample i: it belongs to sample i-1's frame.
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, delta));
  }
  const parts = new Map<string, number>();
  const fns = new Map<string, { part: string; us: number }>();
  let idleUs = 0;
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id)!;
    const part = partOf(callFrame.url, callFrame.functionName);
    if (part === "(idle)") {
      idleUs += us;
      continue;
    }
    busyUs += us;
    parts.set(part, (parts.get(part) ?? 0) + us);
    const file = callFrame.url ? path.relative(ROOT, callFrame.url.replace(/^file:\/\//, "")) : "";
    const key = `${callFrame.functionName || "(anonymous)"} ${file}${file ? `:${callFrame.lineNumber + 1}` : ""}`;
    const entry = fns.get(key) ?? { part, us: 0 };
    entry.us += us;
    fns.set(key, entry);
  }
  const share = (us: number) => (busyUs > 0 ? us / busyUs : 0);
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    byPart: [...parts].map(([part, us]) => ({ part, ms: us / 1000, share: share(us) })).sort((a, b) => b.ms - a.ms),
    byFunction: [...fns].map(([fn, { part, us }]) => ({ fn, part, ms: us / 1000, share: share(us) })).sort((a, b) => b.ms - a.ms),
  };
}

export function formatSummary(summary: ProfileSummary, top = 25, calls?: number): string {
  const perCall = (ms: number) => (calls ? `  ${((ms / calls) * 1000).toFixed(1).padStart(7)} µs/call` : "");
  const lines = [
    `busy ${summary.busyMs.toFixed(0)} ms sampled (idle ${summary.idleMs.toFixed(0)} ms)${calls ? `, ${calls} calls` : ""}`,
    "",
    "by part (self time):",
  ];
  for (const row of summary.byPart.slice(0, top))
    lines.push(`  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.ms.toFixed(0).padStart(6)} ms${perCall(row.ms)}  ${row.part}`);
  lines.push("", "by function (self time):");
  for (const row of summary.byFunction.slice(0, top))
    lines.push(`  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.ms.toFixed(0).padStart(6)} ms  ${row.fn}  [${row.part}]`);
  return lines.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "30" }, calls: { type: "string" } } });
  for (const file of positionals) {
    console.log(`== ${file}`);
    console.log(
      formatSummary(
        summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile),
        Number(values.top),
        values.calls ? Number(values.calls) : undefined,
      ),
    );
  }
}
