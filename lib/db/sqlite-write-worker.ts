/**
 * SQLite transactions on a worker thread. libsql's driver runs every statement, and the
 * commit's WAL write, synchronously on the calling thread: a batch of a few hundred activity
 * rows stalled the serving thread's event loop for tens of milliseconds. Here a worker holds
 * a connection of its own (busy_timeout, synchronous as SQLITE_SYNCHRONOUS says; WAL is a
 * property of the file, set by the migration runner) and runs a list of statements in one
 * `BEGIN IMMEDIATE … COMMIT`; the serving thread only posts the statements and awaits.
 * One worker serves the whole process (the activity writer's batches and the settlement
 * batches of balance leases), so the process has one SQLite write connection off the serving
 * thread and its transactions queue in the worker instead of waiting for each other's lock.
 *
 * A statement can return its rows (a SELECT, or RETURNING), and can stop the transaction: a
 * `stopUnlessOneChange` statement that changes no row (or several) rolls everything back and
 * the result says where it stopped, the way a conditional UPDATE refuses a hold.
 *
 * The worker is plain CommonJS evaluated from a string that loads `libsql` from `resolveFrom`
 * (the app's folder), as the count_tokens worker does: Next bundles server code, and a
 * string has no file path for the bundle to lose.
 *
 * A worker that cannot start (libsql not found from `resolveFrom`) or dies while a
 * transaction is outstanding rejects with `WorkerUnavailable`, never with a database error,
 * so callers can tell "run it elsewhere" from "the database refused this".
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { SqlStatement } from "./sql-statements.ts";
import type { DatabaseTarget } from "./database-url.ts";
import { sqliteSynchronous, type SqliteSynchronous } from "./sqlite-client.ts";

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createRequire } = require("node:module");
const Database = createRequire(workerData.resolveFrom)("libsql");
const db = new Database(workerData.filePath);
db.exec("PRAGMA busy_timeout = " + Number(workerData.busyTimeoutMs) + "; PRAGMA synchronous = " + workerData.synchronous);
const cache = new Map();
function prepared(sql) {
  let statement = cache.get(sql);
  if (!statement) {
    if (cache.size >= 64) cache.clear();
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
parentPort.on("message", ({ id, statements }) => {
  try {
    db.exec("BEGIN IMMEDIATE");
    const results = [];
    let stoppedAt = null;
    try {
      for (let i = 0; i < statements.length && stoppedAt === null; i++) {
        const { sql, params, returnsRows, stopUnlessOneChange } = statements[i];
        if (returnsRows) {
          results.push({ changes: 0, rows: prepared(sql).all(params) });
          continue;
        }
        const changes = prepared(sql).run(params).changes;
        results.push({ changes, rows: [] });
        if (stopUnlessOneChange && changes !== 1) stoppedAt = i;
      }
      db.exec(stoppedAt === null ? "COMMIT" : "ROLLBACK");
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw error;
    }
    parentPort.postMessage({ id, results, stoppedAt });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String((error && error.message) || error), code: error && error.code } });
  }
});
parentPort.postMessage({ ready: true });`;

/** The worker could not run the transaction (it did not start, or it exited): nothing was committed by it. */
export class WorkerUnavailable extends Error {}

/** A statement the database refused; the transaction was rolled back. */
export class SqliteWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export type SqliteWriteWorkerOptions = {
  filePath: string;
  busyTimeoutMs: number;
  synchronous: SqliteSynchronous;
  /** a file in the folder libsql is resolved from (default: the working directory's package.json) */
  resolveFrom?: string;
};

export type SqliteWriteWorkerStats = { transactions: number; workerStarts: number };

/** `returnsRows`: the statement's rows are returned (a SELECT, or RETURNING); `stopUnlessOneChange`: roll back and stop unless it changed exactly one row. */
export type WorkerStatement = SqlStatement & { returnsRows?: boolean; stopUnlessOneChange?: boolean };
export type WorkerRow = Record<string, unknown>;
/** What each statement run did, in order; `stoppedAt`: the statement that rolled the transaction back (null: committed). */
export type WorkerTransactionResult = { results: { changes: number; rows: WorkerRow[] }[]; stoppedAt: number | null };

type Reply = { id?: number; ready?: true; results?: WorkerTransactionResult["results"]; stoppedAt?: number | null; error?: { message: string; code?: string } };
type Pending = { resolve: (result: WorkerTransactionResult) => void; reject: (error: Error) => void; worker: Worker };

export function createSqliteWriteWorker(options: SqliteWriteWorkerOptions) {
  const resolveFrom = options.resolveFrom ?? path.join(process.cwd(), "package.json");
  const stats: SqliteWriteWorkerStats = { transactions: 0, workerStarts: 0 };
  const pending = new Map<number, Pending>();
  let worker: Worker | null = null;
  /** set when a worker failed before it was ready (libsql not found, the file not openable): not retried */
  let broken: Error | null = null;
  let nextId = 1;
  const whenIdle: (() => void)[] = [];

  function settled(id: number) {
    pending.delete(id);
    if (pending.size === 0) for (const done of whenIdle.splice(0)) done();
  }

  function failTransactionsOf(gone: Worker, error: Error) {
    for (const [id, waiting] of pending) {
      if (waiting.worker !== gone) continue;
      settled(id);
      waiting.reject(error);
    }
  }

  function startWorker(): Worker {
    const started = new Worker(WORKER_SOURCE, {
      eval: true,
      name: "switchyard sqlite writer",
      workerData: { resolveFrom, filePath: options.filePath, busyTimeoutMs: options.busyTimeoutMs, synchronous: options.synchronous },
    });
    stats.workerStarts += 1;
    let ready = false;
    started.on("message", (reply: Reply) => {
      if (reply.ready) {
        ready = true;
        return;
      }
      const waiting = pending.get(reply.id!);
      if (!waiting) return;
      settled(reply.id!);
      if (pending.size === 0) started.unref();
      if (reply.error) waiting.reject(new SqliteWriteError(reply.error.message, reply.error.code));
      else {
        stats.transactions += 1;
        waiting.resolve({ results: reply.results!, stoppedAt: reply.stoppedAt ?? null });
      }
    });
    started.on("error", (error) => {
      if (worker === started) worker = null;
      const reason = error.message.split("\n")[0];
      const failure = new WorkerUnavailable(ready ? `the SQLite write worker failed: ${reason}` : `the SQLite write worker cannot start: ${reason}`);
      if (!ready) broken = failure;
      failTransactionsOf(started, failure);
    });
    started.on("exit", () => {
      if (worker === started) worker = null;
      failTransactionsOf(started, new WorkerUnavailable("the SQLite write worker exited"));
    });
    // An idle writer must not keep the process alive; one with a transaction outstanding must (transaction() refs it).
    started.unref();
    return started;
  }

  return {
    /** Runs `statements` in one transaction on the worker's connection; resolves to what each did. */
    transaction(statements: WorkerStatement[]): Promise<WorkerTransactionResult> {
      if (broken) return Promise.reject(broken);
      worker ??= startWorker();
      const running = worker;
      const id = nextId++;
      return new Promise<WorkerTransactionResult>((resolve, reject) => {
        pending.set(id, { resolve, reject, worker: running });
        running.ref();
        running.postMessage({ id, statements });
      });
    },
    stats: (): SqliteWriteWorkerStats => ({ ...stats }),
    /** why the worker cannot run, once it failed to start */
    get unavailable(): Error | null {
      return broken;
    },
    /** transactions posted and not answered yet */
    get outstanding(): number {
      return pending.size;
    },
    /** Ends the worker once its outstanding transactions are answered (its connection closes with it); a later transaction starts a new one. */
    async close(): Promise<void> {
      if (pending.size > 0) await new Promise<void>((resolve) => whenIdle.push(resolve));
      const running = worker;
      worker = null;
      await running?.terminate();
    },
  };
}

export type SqliteWriteWorker = ReturnType<typeof createSqliteWriteWorker>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether SQLite's batches (activity records and settlements) run on the worker thread:
 * SQLITE_WRITE_WORKER, default on; ACTIVITY_WRITE_WORKER, its name before settlements moved
 * too, is read when SQLITE_WRITE_WORKER is not set. Anything but on/off is refused.
 */
export function sqliteWriteWorkerEnabled(env: Env = process.env): boolean {
  for (const name of ["SQLITE_WRITE_WORKER", "ACTIVITY_WRITE_WORKER"]) {
    const value = env[name]?.trim().toLowerCase();
    if (!value) continue;
    if (value === "on") return true;
    if (value === "off") return false;
    throw new Error(`${name} must be on or off, got "${env[name]}"`);
  }
  return true;
}

/** Where the configured database's batches are written (before any was: /api/health reports it from the start). */
export function configuredSqliteWriteThread(target: DatabaseTarget, env: Env = process.env): "worker" | "main" {
  return target.kind === "sqlite" && sqliteWriteWorkerEnabled(env) ? "worker" : "main";
}

/** The process's one write worker for a SQLite database, or null (PostgreSQL, or SQLITE_WRITE_WORKER=off). */
export function createProcessSqliteWriter(target: DatabaseTarget, options: { busyTimeoutMs: number; env?: Env }): SqliteWriteWorker | null {
  const env = options.env ?? process.env;
  if (target.kind !== "sqlite" || !sqliteWriteWorkerEnabled(env)) return null;
  return createSqliteWriteWorker({ filePath: target.filePath, busyTimeoutMs: options.busyTimeoutMs, synchronous: sqliteSynchronous(env) });
}
