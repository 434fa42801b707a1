/**
 * Where the activity writer's transactions run (generation-writer.ts decides what goes in
 * them and what happens when one fails).
 *
 * - `prisma`: Prisma's createMany/upserts on the process-wide client (SQLite with
 *   SQLITE_WRITE_WORKER=off, the worker's fallback, and tests).
 * - `raw` (PostgreSQL's default): the same multi-row statements the worker runs, through
 *   Prisma's raw queries on this thread. The driver is asynchronous, so the serving thread
 *   pays only for building the statements, a tenth of what Prisma's createMany/upserts cost it.
 * - `worker` (SQLite's default): raw multi-row statements (activity-statements.ts) run by the
 *   process's SQLite write worker, shared with the settlement batches of balance leases
 *   (lib/db/sqlite-write-worker.ts), on its own connection, because libsql's
 *   driver blocks the thread that calls it for every statement and the commit. A worker
 *   that cannot run (it did not start, or it died mid-transaction, so nothing of it was
 *   committed) hands the batch to the Prisma store: records are never lost to the worker.
 *
 * SQLITE_WRITE_WORKER=off (or its older name ACTIVITY_WRITE_WORKER=off) keeps SQLite on the
 * serving thread.
 */
import type { Db } from "../db/client.ts";
import type { DatabaseTarget } from "../db/database-url.ts";
import { configuredSqliteWriteThread, createProcessSqliteWriter, WorkerUnavailable, type SqliteWriteWorker } from "../db/sqlite-write-worker.ts";
import type { GenerationRecord } from "../gateway/ports/gateway-deps.ts";
import { generationBatchStatements, markRecordedStatements, type SqlDialect, type SqlStatement } from "./activity-statements.ts";
import { generationRowWrites } from "./generation-rows.ts";

export type ActivityStoreStats = { via: "worker" | "main"; offThreadBatches: number; fallbackBatches: number };

export type ActivityStore = {
  /** the batch's rows, attempts, bodies and rollups, and its reservations marked recorded, in one transaction */
  write(batch: GenerationRecord[]): Promise<void>;
  /** marks the batch's settled reservations recorded (for a parked record: given up for good) */
  markRecorded(batch: GenerationRecord[]): Promise<void>;
  stats(): ActivityStoreStats;
  close(): Promise<void>;
};

function markRecorded(db: Db, batch: GenerationRecord[]) {
  return db.reservation.updateMany({
    where: { id: { in: batch.map((g) => g.id) }, settledAt: { not: null }, recordedAt: null },
    data: { recordedAt: new Date(), provisionalRecord: null },
  });
}

export function createPrismaActivityStore(db: Db): ActivityStore {
  return {
    async write(batch) {
      await db.$transaction([...generationRowWrites(db, batch), markRecorded(db, batch)]);
    },
    async markRecorded(batch) {
      await markRecorded(db, batch);
    },
    stats: () => ({ via: "main", offThreadBatches: 0, fallbackBatches: 0 }),
    close: async () => {},
  };
}

/**
 * The raw multi-row statements through Prisma's raw queries, on this thread (the statements
 * the worker runs, with the dialect's placeholders). Measured against the Prisma store for
 * PostgreSQL in bench/activity-writer.ts.
 */
export function createRawActivityStore(db: Db, dialect: SqlDialect): ActivityStore {
  const run = (statements: SqlStatement[]) => db.$transaction(statements.map((s) => db.$executeRawUnsafe(s.sql, ...s.params)));
  return {
    async write(batch) {
      await run([
        ...generationBatchStatements(dialect, batch),
        ...markRecordedStatements(
          dialect,
          batch.map((g) => g.id),
          new Date(),
        ),
      ]);
    },
    async markRecorded(batch) {
      await run(
        markRecordedStatements(
          dialect,
          batch.map((g) => g.id),
          new Date(),
        ),
      );
    },
    stats: () => ({ via: "main", offThreadBatches: 0, fallbackBatches: 0 }),
    close: async () => {},
  };
}

/**
 * SQLite on a worker thread; `fallback` (the Prisma store) takes what the worker cannot run.
 * `close` ends the worker unless it is shared (`shared`: its creator closes it).
 */
export function createWorkerActivityStore(
  worker: SqliteWriteWorker,
  fallback: ActivityStore,
  log: (line: string) => void = (line) => console.error(line),
  options: { shared?: boolean } = {},
): ActivityStore {
  let offThreadBatches = 0;
  let fallbackBatches = 0;
  let reported = false;

  async function run(statements: () => Parameters<SqliteWriteWorker["transaction"]>[0], onMain: () => Promise<void>) {
    try {
      await worker.transaction(statements());
      offThreadBatches += 1;
    } catch (error) {
      if (!(error instanceof WorkerUnavailable)) throw error;
      if (!reported) log(`generation writer: ${error.message}; writing on the serving thread instead`);
      reported = true;
      fallbackBatches += 1;
      await onMain();
    }
  }

  return {
    write: (batch) =>
      run(
        () => [
          ...generationBatchStatements("sqlite", batch),
          ...markRecordedStatements(
            "sqlite",
            batch.map((g) => g.id),
            new Date(),
          ),
        ],
        () => fallback.write(batch),
      ),
    markRecorded: (batch) =>
      run(
        () =>
          markRecordedStatements(
            "sqlite",
            batch.map((g) => g.id),
            new Date(),
          ),
        () => fallback.markRecorded(batch),
      ),
    stats: () => ({ via: worker.unavailable ? "main" : "worker", offThreadBatches, fallbackBatches }),
    close: async () => {
      if (!options.shared) await worker.close();
    },
  };
}

/** Where the configured database's batches are written (before any was: /api/health reports it from the start). */
export function configuredActivityThread(target: DatabaseTarget, env: Readonly<Record<string, string | undefined>> = process.env): ActivityStoreStats["via"] {
  return configuredSqliteWriteThread(target, env);
}

/**
 * The store for the configured database: the SQLite write worker (unless switched off), raw
 * statements on PostgreSQL. `worker`: the process's shared worker (null: switched off), which
 * the caller closes; without it the store starts and closes a worker of its own.
 */
export function createActivityStore(
  db: Db,
  target: DatabaseTarget,
  options: { busyTimeoutMs: number; env?: Readonly<Record<string, string | undefined>>; worker?: SqliteWriteWorker | null },
): ActivityStore {
  // PostgreSQL's driver is asynchronous, but Prisma's own work for a batch cost ~1.2-1.6 ms of
  // the serving thread's CPU per record against ~0.1 ms for the raw statements (bench:writer).
  if (target.kind === "postgres") return createRawActivityStore(db, "postgres");
  const prisma = createPrismaActivityStore(db);
  const shared = options.worker !== undefined;
  const worker = shared ? options.worker : createProcessSqliteWriter(target, options);
  return worker ? createWorkerActivityStore(worker, prisma, undefined, { shared }) : prisma;
}
