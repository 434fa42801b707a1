/**
 * `npm run bench:billing`: what billing costs per call, with per-request database holds and
 * with balance leases and group-committed settlement (lib/billing/lease-billing.ts). For
 * SQLite and then PostgreSQL (skipped when unreachable), on a fresh database: one account and
 * key, CALLS calls at CONCURRENCY, each a hold then a settlement with its generation record
 * (the BillingPort the gateway uses, without the upstream). Reports this process's CPU
 * milliseconds per call (process.cpuUsage: the event loop and the database driver's threads;
 * PostgreSQL's own server CPU is not in it) and the serving thread's alone (its
 * /proc/self/task/<pid>/stat: not the worker's or the driver's threads), calls per second,
 * transactions per call, and how long the event loop was stalled (p50, p99 and max delay),
 * which is what a serving thread feels. No samples means the loop never reached its timers
 * during the run (SQLite's per-request holds: every statement completes synchronously, so
 * the calls' continuations never leave the microtask queue).
 *
 * On SQLite, leases and settlement batches are written by the SQLite write worker thread, as
 * in a server (SQLITE_WRITE_WORKER=off: on the serving thread); its transactions are counted.
 *
 * BENCH_BILLING_CALLS (default 4000), BENCH_BILLING_CONCURRENCY (default 32),
 * BENCH_BILLING_DBS (default "sqlite,postgres").
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { credit } from "../lib/billing/ledger.ts";
import { createLedgerBilling } from "../lib/billing/ledger-billing.ts";
import { registerBoot } from "../lib/billing/instance-registry.ts";
import { createProcessSqliteWriter } from "../lib/db/sqlite-write-worker.ts";
import type { GenerationRecord } from "../lib/gateway/ports/gateway-deps.ts";
import { createTestDatabase, isPostgresAvailable } from "../tests/support/test-database.ts";

const CALLS = Number(process.env.BENCH_BILLING_CALLS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_BILLING_CONCURRENCY ?? 32);
const DBS = (process.env.BENCH_BILLING_DBS ?? "sqlite,postgres").split(",").map((s) => s.trim()) as ("sqlite" | "postgres")[];

/** utime + stime of this process's main thread, in ms (the kernel counts in clock ticks of 10 ms). */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function recordOf(id: string, userId: string, apiKeyId: string, costNanoUsd: bigint): GenerationRecord {
  return {
    id,
    userId,
    apiKeyId,
    api: "chat",
    requestedModel: "bench/model",
    modelSlug: "bench/model",
    providerSlug: "bench",
    endpointId: "ep",
    streamed: false,
    status: "success",
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    finishReason: "stop",
    promptTokens: 20,
    completionTokens: 12,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNanoUsd,
    costBreakdown: null,
    ttftMs: 1,
    latencyMs: 1,
    throughput: 1,
    createdAt: new Date(),
    attempts: [
      {
        seq: 1,
        providerSlug: "bench",
        endpointId: "ep",
        status: "success",
        httpStatus: 200,
        errorType: null,
        errorMessage: null,
        durationMs: 1,
        served: true,
        startedAt: new Date(),
      },
    ],
    content: null,
  };
}

async function run(kind: "sqlite" | "postgres", leases: boolean) {
  const t = await createTestDatabase(kind);
  try {
    const userId = (await t.db.user.create({ data: { email: "bench@example.com" } })).id;
    const apiKeyId = (
      await t.db.apiKey.create({ data: { userId, name: "bench", hash: randomBytes(16).toString("hex"), start: "sk", spendLimitTotalNanoUsd: 10n ** 15n } })
    ).id;
    await credit(t.db, { userId, kind: "top_up", amountNanoUsd: 10n ** 14n, idempotencyKey: "bench" });
    const owner = { instanceId: `bench-${kind}`, bootId: randomBytes(4).toString("hex") };
    await registerBoot(t.db, owner);
    const sqliteWriter = createProcessSqliteWriter(t.target, { busyTimeoutMs: 5000 });
    const billing = createLedgerBilling(t.db, owner, { leases: leases ? {} : false, sqliteWriter });
    const workerTransactions = () => sqliteWriter?.stats().transactions ?? 0;
    let transactions = 0;
    const counting = t.db.$transaction.bind(t.db);
    (t.db as { $transaction: unknown }).$transaction = (...args: Parameters<typeof counting>) => {
      transactions++;
      return counting(...args);
    };
    let seq = 0;
    const call = async () => {
      const id = `gen_${seq++}_${randomBytes(4).toString("hex")}`;
      const held = await billing.reserve({ id, userId, apiKeyId, amountNanoUsd: 50_000n });
      if (!held.ok) throw new Error(`hold refused: ${held.refusedBy}`);
      await billing.settle({
        reservationId: id,
        costNanoUsd: 30_000n,
        idempotencyKey: `charge:${id}`,
        generationId: id,
        record: recordOf(id, userId, apiKeyId, 30_000n),
      });
    };
    const batch = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < count) await call();
        }),
      );
    };
    await batch(300);
    transactions = -workerTransactions();
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const cpu = process.cpuUsage();
    const mainCpu = mainThreadCpuMs();
    const started = performance.now();
    await batch(CALLS);
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    transactions += workerTransactions();
    const mainCpuMs = mainThreadCpuMs() - mainCpu;
    loop.disable();
    await billing.stop();
    await sqliteWriter?.close();
    return {
      kind,
      mode: leases ? `leases + group commit${sqliteWriter ? " (write worker)" : ""}` : "per-request holds",
      cpuMsPerCall: (used.user + used.system) / 1000 / CALLS,
      mainThreadCpuMsPerCall: mainCpuMs / CALLS,
      callsPerSecond: (CALLS / wallMs) * 1000,
      transactionsPerCall: transactions / CALLS,
      eventLoopDelaySamples: loop.count,
      eventLoopDelayP50Ms: loop.percentile(50) / 1e6,
      eventLoopDelayP99Ms: loop.percentile(99) / 1e6,
      eventLoopDelayMaxMs: loop.max / 1e6,
    };
  } finally {
    await t.drop();
  }
}

const results = [];
for (const kind of DBS) {
  if (kind === "postgres" && !(await isPostgresAvailable())) continue;
  for (const leases of [false, true]) {
    const result = await run(kind, leases);
    results.push(result);
    console.error(
      `${result.kind} ${result.mode}: ${result.cpuMsPerCall.toFixed(3)} CPU ms/call (serving thread ${result.mainThreadCpuMsPerCall.toFixed(3)}), ${result.callsPerSecond.toFixed(0)} calls/s, ${result.transactionsPerCall.toFixed(3)} transactions/call, event loop delay p50 ${result.eventLoopDelayP50Ms.toFixed(1)} ms, p99 ${result.eventLoopDelayP99Ms.toFixed(1)} ms, max ${result.eventLoopDelayMaxMs.toFixed(1)} ms (${result.eventLoopDelaySamples} samples${result.eventLoopDelaySamples === 0 ? ": the loop never reached its timers while the calls ran" : ""})`,
    );
  }
}
console.log(JSON.stringify({ calls: CALLS, concurrency: CONCURRENCY, results }, null, 2));
