/**
 * `npm run bench:writer`: what the activity writer's batches cost the serving thread, per
 * store (lib/activity/activity-store.ts). On a fresh database per run: BATCHES batches of
 * each size in SIZES (records with two attempts each, a few accounts and models, so a batch
 * also upserts a handful of rollup rows), each queued with `record()` and written with
 * `flush()`, a short pause between batches, while a 1 ms `setInterval` runs and
 * `monitorEventLoopDelay` records how late the event loop was. Reports the delay p50/p99/max
 * (what a request in flight feels during a batch), the main thread's CPU per record (from
 * /proc/self/task/<pid>/stat: the serving thread alone, not the worker or driver threads)
 * and the whole process's (process.cpuUsage), and records per second.
 *
 * Stores: SQLite on the serving thread (Prisma over libsql, as before), SQLite on the worker
 * thread, PostgreSQL through Prisma, and PostgreSQL with the raw multi-row statements through
 * Prisma's raw queries (a candidate, measured here to decide whether it is worth shipping).
 *
 * BENCH_WRITER_SIZES (default "100,500"), BENCH_WRITER_BATCHES (default 20),
 * BENCH_WRITER_DBS (default "sqlite,postgres"). BENCH_WRITER_HOLDS=1 also runs, on the
 * serving thread, a small write transaction every 2 ms meanwhile (as per-request holds and
 * settlements do under load): on SQLite one of those that meets the worker's write lock
 * waits for it in libsql's busy handler, which blocks the serving thread.
 */
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createActivityStore, createPrismaActivityStore, createRawActivityStore, type ActivityStore } from "../lib/activity/activity-store.ts";
import { createGenerationWriter } from "../lib/activity/generation-writer.ts";
import type { Db } from "../lib/db/client.ts";
import type { GenerationRecord } from "../lib/gateway/ports/gateway-deps.ts";
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from "../tests/support/test-database.ts";

const SIZES = (process.env.BENCH_WRITER_SIZES ?? "100,500").split(",").map(Number);
const BATCHES = Number(process.env.BENCH_WRITER_BATCHES ?? 20);
const DBS = (process.env.BENCH_WRITER_DBS ?? "sqlite,postgres").split(",").map((s) => s.trim());
const TICK_MS = 10;
const HOLDS = process.env.BENCH_WRITER_HOLDS === "1";

type Variant = { name: string; kind: "sqlite" | "postgres"; store: (t: TestDatabase) => ActivityStore };

const VARIANTS: Variant[] = [
  { name: "SQLite, serving thread (Prisma)", kind: "sqlite", store: (t) => createPrismaActivityStore(t.db) },
  { name: "SQLite, worker thread (raw SQL)", kind: "sqlite", store: (t) => createActivityStore(t.db, t.target, { busyTimeoutMs: 5000, env: {} }) },
  { name: "PostgreSQL, Prisma", kind: "postgres", store: (t) => createPrismaActivityStore(t.db) },
  { name: "PostgreSQL, raw multi-row SQL", kind: "postgres", store: (t) => createRawActivityStore(t.db, "postgres") },
];

/** utime + stime of this process's main thread, in ms (the kernel counts in clock ticks of 10 ms). */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function recordOf(id: string, userId: string, n: number): GenerationRecord {
  const now = new Date();
  return {
    id,
    userId,
    apiKeyId: null,
    api: "chat",
    requestedModel: `bench/model-${n % 3}`,
    modelSlug: `bench/model-${n % 3}`,
    providerSlug: `p${n % 2}`,
    endpointId: "ep",
    streamed: n % 2 === 0,
    status: n % 17 === 0 ? "error" : "success",
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    finishReason: "stop",
    promptTokens: 1200 + n,
    completionTokens: 300,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNanoUsd: 30_000n + BigInt(n),
    costBreakdown: '[{"feeItem":"prompt","quantity":1200,"unitPriceUsd":"0.000001","costNanoUsd":"1200"}]',
    ttftMs: 120,
    latencyMs: 900,
    throughput: 41.5,
    createdAt: now,
    attempts: [
      {
        seq: 0,
        providerSlug: "p9",
        endpointId: "ep9",
        status: "error",
        httpStatus: 503,
        errorType: "provider_error",
        errorMessage: "overloaded",
        durationMs: 12,
        served: false,
        startedAt: now,
      },
      {
        seq: 1,
        providerSlug: `p${n % 2}`,
        endpointId: "ep",
        status: "success",
        httpStatus: 200,
        errorType: null,
        errorMessage: null,
        durationMs: 880,
        served: true,
        startedAt: now,
      },
    ],
    content: null,
  };
}

async function measure(variant: Variant, size: number) {
  const t = await createTestDatabase(variant.kind);
  try {
    const users = await Promise.all([0, 1, 2, 3].map(async (i) => (await (t.db as Db).user.create({ data: { email: `bench${i}@example.com` } })).id));
    const writer = createGenerationWriter(t.db, { flushIntervalMs: 3_600_000, maxBatch: size, store: variant.store(t), log: () => {} });
    let seq = 0;
    const writeBatch = async () => {
      for (let i = 0; i < size; i++, seq++) writer.record(recordOf(`gen_${size}_${seq}`, users[seq % users.length], seq));
      await writer.flush();
    };
    await writeBatch(); // warm-up: statements prepared, worker started
    const ticker = setInterval(() => {}, TICK_MS);
    let holding = HOLDS;
    let holds = 0;
    const holdLoop = (async () => {
      while (holding) {
        await t.db.$transaction([t.db.$executeRawUnsafe(`UPDATE "User" SET "reservedNanoUsd" = "reservedNanoUsd" + 0 WHERE "id" = '${users[0]}'`)]);
        holds++;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadCpuMs();
    const started = performance.now();
    delay.enable();
    for (let b = 0; b < BATCHES; b++) {
      await writeBatch();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    delay.disable();
    holding = false;
    await holdLoop;
    const elapsedMs = performance.now() - started - BATCHES * 20;
    const main = mainThreadCpuMs() - main0;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(ticker);
    const stats = writer.stats();
    await writer.stop();
    const records = size * BATCHES;
    if ((await t.db.generation.count()) !== records + size) throw new Error(`${variant.name}: expected ${records + size} rows`);
    return {
      variant: variant.name,
      batch: size,
      delayP50Ms: delay.percentile(50) / 1e6,
      delayP99Ms: delay.percentile(99) / 1e6,
      delayMaxMs: delay.max / 1e6,
      mainThreadCpuUsPerRecord: (main * 1000) / records,
      processCpuUsPerRecord: (cpu.user + cpu.system) / records,
      recordsPerSecond: Math.round((records / elapsedMs) * 1000),
      offThreadBatches: stats.offThreadBatches,
      concurrentHolds: holds,
    };
  } finally {
    await t.drop();
  }
}

async function main() {
  const pg = DBS.includes("postgres") && (await isPostgresAvailable());
  const rows = [];
  for (const size of SIZES) {
    for (const variant of VARIANTS) {
      if (!DBS.includes(variant.kind) || (variant.kind === "postgres" && !pg)) continue;
      const row = await measure(variant, size);
      rows.push(row);
      console.error(
        `${row.variant}, batch ${size}: delay p99 ${row.delayP99Ms.toFixed(1)} ms, max ${row.delayMaxMs.toFixed(1)} ms, main thread ${row.mainThreadCpuUsPerRecord.toFixed(0)} µs/record`,
      );
    }
  }
  console.log("| store | batch | loop delay p50 | p99 | max | main-thread CPU µs/record | process CPU µs/record | records/s |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows)
    console.log(
      `| ${r.variant} | ${r.batch} | ${r.delayP50Ms.toFixed(1)} ms | ${r.delayP99Ms.toFixed(1)} ms | ${r.delayMaxMs.toFixed(1)} ms | ${r.mainThreadCpuUsPerRecord.toFixed(0)} | ${r.processCpuUsPerRecord.toFixed(0)} | ${r.recordsPerSecond} |`,
    );
  console.log(JSON.stringify(rows));
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
