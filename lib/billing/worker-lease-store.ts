/**
 * Balance leases on SQLite's write worker thread (lib/db/sqlite-write-worker.ts, the worker
 * the activity writer uses too). libsql's driver runs every statement and the commit's WAL
 * write synchronously on the calling thread, so on the serving thread each group commit
 * stalled every request in flight; here this thread builds the statements, posts them and
 * awaits the commit, and a JSON answer still leaves only once its charge is durable.
 *
 * Settlement batches, top-ups, give-backs and stream checkpoints run on the worker: the same
 * SQL as the Prisma store (lease-store.ts's leaseSql, ledger.ts's moneySql), a conditional
 * UPDATE that finds no row stopping and rolling back the transaction as a refusal does there;
 * the batch as the fixed statement list of settlement-batch-sql.ts. Reads (what an account
 * can lend, which key limit refused a hold) stay on this thread: a WAL reader never waits for
 * the writer, and reads cost no fsync.
 *
 * A worker that cannot run a transaction (it did not start, or it exited: WorkerUnavailable,
 * the transaction was not committed by it) hands it to the Prisma store, logged once. A
 * statement the database refuses rejects as before, so group commit's one-call-at-a-time
 * retry of a refused batch is unchanged.
 */
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/sqlite/client.ts";
import { sqlValueEncoder, type SqlValue } from "../db/sql-statements.ts";
import { WorkerUnavailable, type SqliteWriteWorker, type WorkerStatement, type WorkerTransactionResult } from "../db/sqlite-write-worker.ts";
import { brokenKeyLimit, brokenMemberLimit, moneySql, type ReservationOwner, type ReserveResult } from "./ledger.ts";
import { LeaseGone, leaseSql, type BatchOutcome, type LeasedSettlement, type LeaseStore } from "./lease-store.ts";
import { readSettlementOutcome, settlementBatchStatements } from "./settlement-batch-sql.ts";

const encode = sqlValueEncoder("sqlite");

/** A Prisma.sql statement for the worker (the same text with `?` placeholders, values encoded as Prisma's adapter stores them). */
function forWorker(sql: Prisma.Sql, options: Pick<WorkerStatement, "stopUnlessOneChange"> = {}): WorkerStatement {
  return { sql: sql.sql, params: sql.values.map((value) => encode(value as SqlValue)), ...options };
}

export function createWorkerLeaseStore(
  db: Db,
  worker: SqliteWriteWorker,
  fallback: LeaseStore,
  log: (line: string) => void = (line) => console.error(line),
): LeaseStore {
  let offThreadBatches = 0;
  let fallbackBatches = 0;
  let reported = false;

  /** Runs `statements` on the worker; `onMain` when the worker cannot. */
  async function run<R>(
    statements: WorkerStatement[],
    read: (result: WorkerTransactionResult) => R | Promise<R>,
    onMain: () => Promise<R>,
  ): Promise<{ result: R; offThread: boolean }> {
    let done: WorkerTransactionResult;
    try {
      done = await worker.transaction(statements);
    } catch (error) {
      if (!(error instanceof WorkerUnavailable)) throw error;
      if (!reported) log(`billing: ${error.message}; writing settlements and leases on the serving thread instead`);
      reported = true;
      return { result: await onMain(), offThread: false };
    }
    return { result: await read(done), offThread: true };
  }

  async function grow(lease: Parameters<LeaseStore["grow"]>[0], input: Parameters<LeaseStore["grow"]>[1]): Promise<ReserveResult> {
    const now = new Date();
    const amount = input.amountNanoUsd;
    const statements = [
      input.create ? forWorker(leaseSql.create(lease, amount, input.owner, now)) : forWorker(leaseSql.grow(lease, amount, now), { stopUnlessOneChange: true }),
      ...(lease.apiKeyId ? [forWorker(moneySql.holdOnKey(lease.apiKeyId, amount, now), { stopUnlessOneChange: true })] : []),
      ...(lease.membershipId ? [forWorker(moneySql.holdOnMember(lease.membershipId, amount, now), { stopUnlessOneChange: true })] : []),
      forWorker(moneySql.holdOnUser(lease.userId, amount), { stopUnlessOneChange: true }),
    ];
    const holdOnKeyAt = lease.apiKeyId ? 1 : -1;
    const holdOnMemberAt = lease.membershipId ? (lease.apiKeyId ? 2 : 1) : -1;
    const { result } = await run(
      statements,
      async ({ stoppedAt }): Promise<ReserveResult> => {
        if (stoppedAt === null) return { ok: true };
        if (stoppedAt === 0) throw new LeaseGone(lease.id);
        // Rolled back; which limit refused is read afterwards, as a label (the hold was refused either way).
        if (stoppedAt === holdOnKeyAt) return { ok: false, refusedBy: await brokenKeyLimit(db, lease.apiKeyId!, amount, now) };
        if (stoppedAt === holdOnMemberAt) return { ok: false, refusedBy: await brokenMemberLimit(db, lease.membershipId!, amount, now) };
        return { ok: false, refusedBy: "balance" };
      },
      () => fallback.grow(lease, input),
    );
    return result;
  }

  async function shrink(lease: Parameters<LeaseStore["shrink"]>[0], amount: bigint, closeIfEmpty: boolean): Promise<"open" | "closed" | "gone"> {
    const money = { releasedNanoUsd: amount, spentNanoUsd: 0n };
    const statements = [
      forWorker(leaseSql.shrink(lease, amount, new Date()), { stopUnlessOneChange: true }),
      ...(amount > 0n
        ? [
            ...(lease.apiKeyId
              ? [forWorker(moneySql.moveKeyMoney(lease.apiKeyId, money)), forWorker(moneySql.moveMemberMoneyOfKey(lease.apiKeyId, money))]
              : []),
            forWorker(moneySql.moveUserMoney(lease.userId, money)),
          ]
        : []),
      ...(closeIfEmpty ? [forWorker(leaseSql.deleteIfEmpty(lease))] : []),
    ];
    const { result } = await run(
      statements,
      ({ stoppedAt, results }) => (stoppedAt !== null ? "gone" : closeIfEmpty && results[results.length - 1].changes === 1 ? "closed" : "open"),
      () => fallback.shrink(lease, amount, closeIfEmpty),
    );
    return result;
  }

  async function checkpoint(input: Parameters<LeaseStore["checkpoint"]>[0]): Promise<boolean> {
    const at = input.at ?? new Date();
    const statements = [forWorker(leaseSql.touch(input.lease, at), { stopUnlessOneChange: true }), forWorker(leaseSql.checkpointHold(input, at))];
    const { result } = await run(
      statements,
      ({ stoppedAt, results }) => stoppedAt === null && results[1].changes === 1,
      () => fallback.checkpoint(input),
    );
    return result;
  }

  async function settleBatch(owner: ReservationOwner, batch: LeasedSettlement[]): Promise<BatchOutcome> {
    const statements = settlementBatchStatements(owner, batch);
    const selectAt = statements.findIndex((s) => s.returnsRows);
    const { result, offThread } = await run(
      statements,
      ({ results }) => readSettlementOutcome(results[selectAt].rows),
      () => fallback.settleBatch(owner, batch),
    );
    if (offThread) offThreadBatches++;
    else fallbackBatches++;
    return result;
  }

  return {
    leasable: (userId, apiKeyId, membershipId) => fallback.leasable(userId, apiKeyId, membershipId),
    grow,
    shrink,
    checkpoint,
    settleBatch,
    stats: () => ({ via: worker.unavailable ? "main" : "worker", offThreadBatches, fallbackBatches }),
  };
}
