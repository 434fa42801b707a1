/**
 * The balance ledger. Entries are immutable and each has an idempotency key; a user's
 * balanceNanoUsd is their sum, updated in the same transaction as each insert.
 * reservedNanoUsd holds money for in-flight requests: available = balance - reserved.
 *
 * Concurrency: a reservation is one conditional UPDATE (`… WHERE balance - reserved >=
 * amount`) as the transaction's first statement, so the database serialises competing
 * requests on the user's row, on SQLite (the write lock) and PostgreSQL (the row lock,
 * WHERE re-checked after it) alike, for any number of instances. Every transaction
 * here writes before it reads, which keeps SQLite from deadlocking on lock upgrades.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client.ts";

export type CreditKind = "trial_grant" | "top_up" | "redemption" | "adjustment" | "refund";
export type LedgerKind = CreditKind | "charge";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
const TX_OPTIONS = { timeout: 20_000, maxWait: 20_000 };

async function insertEntry(tx: Tx, entry: { userId: string; kind: LedgerKind; amountNanoUsd: bigint; idempotencyKey: string; generationId?: string | null; reason?: string | null; actorId?: string | null }): Promise<boolean> {
  // ON CONFLICT DO NOTHING: a duplicate key is "already applied", not an error that aborts the transaction.
  const inserted = await tx.$executeRaw`
    INSERT INTO "LedgerEntry" ("id", "userId", "kind", "amountNanoUsd", "idempotencyKey", "generationId", "reason", "actorId", "createdAt")
    VALUES (${randomUUID()}, ${entry.userId}, ${entry.kind}, ${entry.amountNanoUsd}, ${entry.idempotencyKey}, ${entry.generationId ?? null}, ${entry.reason ?? null}, ${entry.actorId ?? null}, ${new Date()})
    ON CONFLICT ("idempotencyKey") DO NOTHING`;
  return inserted === 1;
}

/** Adds (or, for adjustments, subtracts) money. Idempotent: a repeated key changes nothing. */
export async function credit(db: Db, input: { userId: string; kind: CreditKind; amountNanoUsd: bigint; idempotencyKey: string; reason?: string; actorId?: string }): Promise<{ applied: boolean }> {
  return db.$transaction(async (tx) => {
    const applied = await insertEntry(tx, input);
    if (applied) await tx.$executeRaw`UPDATE "User" SET "balanceNanoUsd" = "balanceNanoUsd" + ${input.amountNanoUsd} WHERE "id" = ${input.userId}`;
    return { applied };
  }, TX_OPTIONS);
}

/** Holds `amount` for a request if the available balance covers it; false when it does not. */
export async function reserve(db: Db, input: { id: string; userId: string; apiKeyId: string | null; amountNanoUsd: bigint; ttlMs: number }): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const held = await tx.$executeRaw`
      UPDATE "User" SET "reservedNanoUsd" = "reservedNanoUsd" + ${input.amountNanoUsd}
      WHERE "id" = ${input.userId} AND "balanceNanoUsd" - "reservedNanoUsd" >= ${input.amountNanoUsd}`;
    if (held !== 1) return false;
    const now = Date.now();
    await tx.reservation.create({ data: { id: input.id, userId: input.userId, apiKeyId: input.apiKeyId, amountNanoUsd: input.amountNanoUsd, createdAt: new Date(now), expiresAt: new Date(now + input.ttlMs) } });
    return true;
  }, TX_OPTIONS);
}

/**
 * Closes a reservation: charges `costNanoUsd` (0 for a failed request) under the
 * idempotency key and releases the hold. Settling twice changes nothing. The charge
 * may exceed the hold (an upstream that ignored max_tokens): that overrun is the only
 * way a balance goes below zero.
 */
export async function settle(db: Db, input: { reservationId: string; costNanoUsd: bigint; idempotencyKey: string; generationId?: string | null }): Promise<{ settled: boolean; charged: boolean }> {
  return db.$transaction(async (tx) => {
    const closed = await tx.$executeRaw`UPDATE "Reservation" SET "settledAt" = ${new Date()} WHERE "id" = ${input.reservationId} AND "settledAt" IS NULL`;
    if (closed !== 1) return { settled: false, charged: false };
    const reservation = await tx.reservation.findUniqueOrThrow({ where: { id: input.reservationId } });
    const charged = input.costNanoUsd > 0n && (await insertEntry(tx, { userId: reservation.userId, kind: "charge", amountNanoUsd: -input.costNanoUsd, idempotencyKey: input.idempotencyKey, generationId: input.generationId }));
    const debit = charged ? input.costNanoUsd : 0n;
    await tx.$executeRaw`
      UPDATE "User" SET "balanceNanoUsd" = "balanceNanoUsd" - ${debit}, "reservedNanoUsd" = "reservedNanoUsd" - ${reservation.amountNanoUsd}
      WHERE "id" = ${reservation.userId}`;
    return { settled: true, charged };
  }, TX_OPTIONS);
}

/** Releases reservations whose request never settled (its instance died). Returns how many. */
export async function releaseExpiredReservations(db: Db, now = new Date()): Promise<number> {
  const stale = await db.reservation.findMany({ where: { settledAt: null, expiresAt: { lt: now } }, select: { id: true }, take: 1000 });
  let released = 0;
  for (const { id } of stale) if ((await settle(db, { reservationId: id, costNanoUsd: 0n, idempotencyKey: `release:${id}` })).settled) released++;
  return released;
}

export type LedgerMismatch = { userId: string; email: string; balanceNanoUsd: bigint; ledgerSumNanoUsd: bigint; reservedNanoUsd: bigint; openReservationsNanoUsd: bigint };

/** Every account whose balance is not its ledger sum, or whose hold is not its open reservations. */
export async function verifyLedger(db: Db): Promise<{ accounts: number; mismatches: LedgerMismatch[] }> {
  const [users, sums, holds] = await Promise.all([
    db.user.findMany({ select: { id: true, email: true, balanceNanoUsd: true, reservedNanoUsd: true } }),
    db.ledgerEntry.groupBy({ by: ["userId"], _sum: { amountNanoUsd: true } }),
    db.reservation.groupBy({ by: ["userId"], where: { settledAt: null }, _sum: { amountNanoUsd: true } }),
  ]);
  const sumOf = new Map(sums.map((s) => [s.userId, s._sum.amountNanoUsd ?? 0n]));
  const holdOf = new Map(holds.map((h) => [h.userId, h._sum.amountNanoUsd ?? 0n]));
  const mismatches = users
    .map((u) => ({ userId: u.id, email: u.email, balanceNanoUsd: u.balanceNanoUsd, ledgerSumNanoUsd: sumOf.get(u.id) ?? 0n, reservedNanoUsd: u.reservedNanoUsd, openReservationsNanoUsd: holdOf.get(u.id) ?? 0n }))
    .filter((m) => m.balanceNanoUsd !== m.ledgerSumNanoUsd || m.reservedNanoUsd !== m.openReservationsNanoUsd);
  return { accounts: users.length, mismatches };
}
