/**
 * A group commit of leased settlements (lease-store.ts settleLeasedBatch) as a fixed list of
 * SQLite statements, for the write worker thread, which runs statements and cannot call back
 * into this thread between them.
 *
 * settleLeasedBatch reads what each statement returned (leases recovery took, reservations it
 * closed, charges inserted) to shape the next. Here those answers stay in the database: the
 * batch goes into a temporary table on the worker's connection, and each step records its
 * answer there before the write it guards, under the write lock BEGIN IMMEDIATE took:
 *
 * - `leaseOpen`: the lease row still exists (recovery deletes it), after the UPDATE that locks it;
 * - `settled`: no settled Reservation row exists for the call, which is exactly when the
 *   upsert's `WHERE "settledAt" IS NULL` closes or inserts it;
 * - `charged`: settled, a cost, and no LedgerEntry under its idempotency key, which is
 *   exactly when `ON CONFLICT DO NOTHING` inserts it.
 *
 * The money then moves by one UPDATE … FROM per table, with the sums settleLeasedBatch
 * computes in memory; the lock order is the same (Lease → Reservation → LedgerEntry → ApiKey
 * → User). The last SELECT gives the outcome. Values are encoded as Prisma's adapter stores
 * them (lib/db/sql-statements.ts), and the equivalence with the Prisma path is tested
 * (worker-lease-store.test.ts).
 */
import { randomUUID } from "node:crypto";
import { multiRowInserts, sqlValueEncoder, type SqlValue } from "../db/sql-statements.ts";
import type { WorkerRow, WorkerStatement } from "../db/sqlite-write-worker.ts";
import { spendPeriods, type ReservationOwner } from "./ledger.ts";
import type { BatchOutcome, LeasedSettlement } from "./lease-store.ts";

const TABLE = "SettlementBatch";
const COLUMNS = [
  "seq",
  "reservationId",
  "leaseId",
  "userId",
  "apiKeyId",
  "holdNanoUsd",
  "heldAt",
  "expiresAt",
  "costNanoUsd",
  "debitNanoUsd",
  "idempotencyKey",
  "generationId",
  "record",
  "entryId",
] as const;

/** Columns without a declared type keep each value as it was bound (no affinity conversions). */
const CREATE_TABLE = `CREATE TEMP TABLE IF NOT EXISTS "${TABLE}" (${COLUMNS.map((c) => `"${c}"`).join(", ")}, "leaseOpen" INTEGER NOT NULL DEFAULT 0, "settled" INTEGER NOT NULL DEFAULT 0, "charged" INTEGER NOT NULL DEFAULT 0)`;

const statement = (sql: string, params: SqlValue[] = []): WorkerStatement => ({ sql, params });

/** The statements of one batch; run them in one transaction and read the outcome with `readSettlementOutcome`. */
export function settlementBatchStatements(owner: ReservationOwner, batch: readonly LeasedSettlement[], now = new Date()): WorkerStatement[] {
  const encode = sqlValueEncoder("sqlite");
  const { day, week, month } = spendPeriods(now);
  const rows = batch.map((s, seq): SqlValue[] => [
    seq,
    s.reservationId,
    s.lease.id,
    s.lease.userId,
    s.lease.apiKeyId,
    s.holdNanoUsd,
    s.heldAt,
    new Date(s.heldAt.getTime() + s.ttlMs),
    s.costNanoUsd,
    s.debitNanoUsd,
    s.idempotencyKey,
    s.generationId,
    s.record,
    randomUUID(),
  ]);
  return [
    statement(CREATE_TABLE),
    statement(`DELETE FROM "${TABLE}"`),
    ...multiRowInserts("sqlite", TABLE, COLUMNS, rows),
    // Locks the batch's leases first; a lease recovery returned has no row left to find.
    statement(`UPDATE "Lease" SET "updatedAt" = ? WHERE "id" IN (SELECT "leaseId" FROM "${TABLE}")`, [encode(now)]),
    statement(`UPDATE "${TABLE}" SET "leaseOpen" = EXISTS (SELECT 1 FROM "Lease" WHERE "Lease"."id" = "${TABLE}"."leaseId")`),
    // A stream that checkpointed has its row already: closed here unless recovery closed it first.
    statement(
      `UPDATE "${TABLE}" SET "settled" = NOT EXISTS (SELECT 1 FROM "Reservation" WHERE "Reservation"."id" = "${TABLE}"."reservationId" AND "Reservation"."settledAt" IS NOT NULL)`,
    ),
    statement(
      `INSERT INTO "Reservation" ("id", "userId", "apiKeyId", "amountNanoUsd", "createdAt", "expiresAt", "settledAt", "instanceId", "bootId", "leaseId", "provisionalRecord")
      SELECT "reservationId", "userId", "apiKeyId", "holdNanoUsd", "heldAt", "expiresAt", ?, ?, ?, "leaseId", "record" FROM "${TABLE}" WHERE true ORDER BY "seq"
      ON CONFLICT ("id") DO UPDATE SET "settledAt" = EXCLUDED."settledAt", "provisionalRecord" = EXCLUDED."provisionalRecord"
      WHERE "Reservation"."settledAt" IS NULL`,
      [encode(now), owner.instanceId, owner.bootId],
    ),
    statement(
      `UPDATE "${TABLE}" SET "charged" = "settled" AND "costNanoUsd" > 0 AND NOT EXISTS (SELECT 1 FROM "LedgerEntry" WHERE "LedgerEntry"."idempotencyKey" = "${TABLE}"."idempotencyKey")`,
    ),
    statement(
      `INSERT INTO "LedgerEntry" ("id", "userId", "kind", "amountNanoUsd", "idempotencyKey", "generationId", "reason", "actorId", "createdAt")
      SELECT "entryId", "userId", 'charge', -"costNanoUsd", "idempotencyKey", "generationId", NULL, NULL, ? FROM "${TABLE}" WHERE "charged" ORDER BY "seq"
      ON CONFLICT ("idempotencyKey") DO NOTHING`,
      [encode(now)],
    ),
    // Debits of a lease recovery returned were released with it: the charge then comes off the balance only.
    statement(
      `UPDATE "Lease" SET "amountNanoUsd" = "amountNanoUsd" - b."debit"
      FROM (SELECT "leaseId", SUM("debitNanoUsd") AS "debit" FROM "${TABLE}" WHERE "charged" AND "leaseOpen" GROUP BY "leaseId" HAVING SUM("debitNanoUsd") > 0) AS b
      WHERE "Lease"."id" = b."leaseId"`,
    ),
    // As ledger.ts moveKeyMoney, per key: raw SQL so updatedAt does not move (it would wake every key cache).
    statement(
      `UPDATE "ApiKey" SET
        "reservedNanoUsd" = "reservedNanoUsd" - b."released",
        "spentNanoUsd" = "spentNanoUsd" + b."spent",
        "spentDayNanoUsd" = (CASE WHEN "spentDayPeriod" = ? THEN "spentDayNanoUsd" ELSE 0 END) + b."spent",
        "spentDayPeriod" = ?,
        "spentMonthNanoUsd" = (CASE WHEN "spentMonthPeriod" = ? THEN "spentMonthNanoUsd" ELSE 0 END) + b."spent",
        "spentMonthPeriod" = ?
      FROM (SELECT "apiKeyId", SUM(CASE WHEN "leaseOpen" THEN "debitNanoUsd" ELSE 0 END) AS "released", SUM("costNanoUsd") AS "spent" FROM "${TABLE}" WHERE "charged" AND "apiKeyId" IS NOT NULL GROUP BY "apiKeyId") AS b
      WHERE "ApiKey"."id" = b."apiKeyId"`,
      [day, day, month, month],
    ),
    // As ledger.ts moveMemberMoneyOfKey, per organization member (through their keys).
    statement(
      `UPDATE "Membership" SET
        "reservedNanoUsd" = "reservedNanoUsd" - b."released",
        "spentNanoUsd" = "spentNanoUsd" + b."spent",
        "spentDayNanoUsd" = (CASE WHEN "spentDayPeriod" = ? THEN "spentDayNanoUsd" ELSE 0 END) + b."spent",
        "spentDayPeriod" = ?,
        "spentWeekNanoUsd" = (CASE WHEN "spentWeekPeriod" = ? THEN "spentWeekNanoUsd" ELSE 0 END) + b."spent",
        "spentWeekPeriod" = ?,
        "spentMonthNanoUsd" = (CASE WHEN "spentMonthPeriod" = ? THEN "spentMonthNanoUsd" ELSE 0 END) + b."spent",
        "spentMonthPeriod" = ?
      FROM (SELECT k."membershipId", SUM(CASE WHEN t."leaseOpen" THEN t."debitNanoUsd" ELSE 0 END) AS "released", SUM(t."costNanoUsd") AS "spent"
            FROM "${TABLE}" t JOIN "ApiKey" k ON k."id" = t."apiKeyId" WHERE t."charged" AND k."membershipId" IS NOT NULL GROUP BY k."membershipId") AS b
      WHERE "Membership"."id" = b."membershipId"`,
      [day, day, week, week, month, month],
    ),
    statement(
      `UPDATE "User" SET "balanceNanoUsd" = "balanceNanoUsd" - b."spent", "reservedNanoUsd" = "reservedNanoUsd" - b."released"
      FROM (SELECT "userId", SUM(CASE WHEN "leaseOpen" THEN "debitNanoUsd" ELSE 0 END) AS "released", SUM("costNanoUsd") AS "spent" FROM "${TABLE}" WHERE "charged" GROUP BY "userId") AS b
      WHERE "User"."id" = b."userId"`,
    ),
    { ...statement(`SELECT "reservationId", "leaseId", "leaseOpen", "settled", "charged" FROM "${TABLE}" ORDER BY "seq"`), returnsRows: true },
    statement(`DELETE FROM "${TABLE}"`),
  ];
}

/** The outcome of a batch from the rows its SELECT returned (the second-to-last statement). */
export function readSettlementOutcome(rows: readonly WorkerRow[]): BatchOutcome {
  const outcome: BatchOutcome = { settled: new Set(), charged: new Set(), openLeases: new Set() };
  for (const row of rows) {
    const reservationId = String(row.reservationId);
    if (Number(row.settled) === 1) outcome.settled.add(reservationId);
    if (Number(row.charged) === 1) outcome.charged.add(reservationId);
    if (Number(row.leaseOpen) === 1) outcome.openLeases.add(String(row.leaseId));
  }
  return outcome;
}
