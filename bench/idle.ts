/**
 * `npm run bench:idle`: what an idle server costs. Starts the real server (as the tests
 * do) on SQLite, or on a fresh PostgreSQL database with IDLE_DB=postgres, warms it with a
 * few chat calls, JSON and streamed, then reads the process tree's CPU from /proc over
 * IDLE_SECONDS (30) of silence after IDLE_SETTLE_SECONDS (60). With IDLE_CPU_PROF=DIR the server writes a V8 CPU profile
 * of the idle stretch there (summarise it with bench/cpu-profile-summary.ts).
 */
import { startGatewayFixture } from "../tests/support/gateway-fixture.ts";
import { createTestTarget } from "../tests/support/test-database.ts";
import { readdirSync, readFileSync } from "node:fs";
import { CPU_TICK_MS, processTree, treeCpuMs } from "./proc-stats.ts";

/** CPU ticks so far of each thread of `pid` (the main thread has the process's id). */
function threadTicks(pid: number): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks.set(Number(tid) === pid ? "main" : `thread ${tid}`, Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

const seconds = Number(process.env.IDLE_SECONDS ?? 30);
// After a burst V8's memory reducer runs a few full collections of the ~200 MB heap (about
// 5 ms/s for the first 30-45 s, seen in profiles); idle means after those.
const settleSeconds = Number(process.env.IDLE_SETTLE_SECONDS ?? 60);
const kind = process.env.IDLE_DB === "postgres" ? "postgres" : "sqlite";
const profileDir = process.env.IDLE_CPU_PROF;

const target = kind === "postgres" ? await createTestTarget("postgres") : undefined;
const gw = await startGatewayFixture(
  {},
  { ...(target ? { database: target.target } : {}), nodeArgs: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [] },
);
try {
  const call = (stream: boolean) =>
    fetch(`${gw.url}/api/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "test/chat", stream, messages: [{ role: "user", content: "Hello" }] }),
    }).then((response) => response.arrayBuffer());
  for (let i = 0; i < 5; i++) await Promise.all([call(false), call(true)]);
  // Let the activity batch, the lease's idle return, the first statistics save and V8's post-burst collections pass.
  await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
  const before = treeCpuMs(gw.server.pid);
  const threadsBefore = threadTicks(gw.server.pid);
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpuMs = treeCpuMs(gw.server.pid) - before;
  const elapsedS = (Date.now() - started) / 1000;
  const byThread: Record<string, number> = {};
  for (const [thread, ticks] of threadTicks(gw.server.pid)) {
    const msPerS = ((ticks - (threadsBefore.get(thread) ?? 0)) * CPU_TICK_MS) / elapsedS;
    if (msPerS > 0) byThread[thread] = Number(msPerS.toFixed(2));
  }
  console.log(JSON.stringify({ kind, processes: processTree(gw.server.pid).length, elapsedS, idleCpuMsPerS: Number((cpuMs / elapsedS).toFixed(2)), byThread }));
} finally {
  await gw.stop();
  await target?.dropTarget();
}
