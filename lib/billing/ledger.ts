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

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
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
export type CreditInput = { userId: string; kind: CreditKind; amountNanoUsd: bigint; idempotencyKey: string; reason?: string; actorId?: string };

export async function credit(db: Db, input: CreditInput): Promise<{ applied: boolean }> {
  return db.$transaction((tx) => creditInTransaction(tx, input), TX_OPTIONS);
}

/** The same, inside the caller's transaction (an admin's credit commits with its audit row). */
export async function creditInTransaction(tx: Tx, input: CreditInput): Promise<{ applied: boolean }> {
  const applied = await insertEntry(tx, input);
  if (applied) await tx.$executeRaw`UPDATE "User" SET "balanceNanoUsd" = "balanceNanoUsd" + ${input.amountNanoUsd} WHERE "id" = ${input.userId}`;
  return { applied };
}

export type ReserveResult = { ok: true } | { ok: false; refusedBy: "balance" | "key_total" | "key_day" | "key_month" };

class Refused extends Error {
  constructor(readonly refusedBy: Exclude<ReserveResult, { ok: true }>["refusedBy"]) {
    super(refusedBy);
  }
}

/** UTC periods the per-key spend counters belong to. */
export function spendPeriods(at: Date): { day: string; month: string } {
  const day = at.toISOString().slice(0, 10);
  return { day, month: day.slice(0, 7) };
}

/** Which of a key's limits `amount` would break (the conditional UPDATE already said one does). */
async function brokenKeyLimit(tx: Tx, apiKeyId: string, amount: bigint, day: string, month: string): Promise<"key_total" | "key_day" | "key_month"> {
  const key = await tx.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } });
  const held = key.reservedNanoUsd + amount;
  if (key.spendLimitDayNanoUsd !== null && (key.spentDayPeriod === day ? key.spentDayNanoUsd : 0n) + held > key.spendLimitDayNanoUsd) return "key_day";
  if (key.spendLimitMonthNanoUsd !== null && (key.spentMonthPeriod === month ? key.spentMonthNanoUsd : 0n) + held > key.spendLimitMonthNanoUsd) return "key_month";
  return "key_total";
}

/**
 * Holds `amount` for a request if the key's spend limits (total, today, this month,
 * in-flight holds included) and the account's available balance both cover it.
 */
export async function reserve(db: Db, input: { id: string; userId: string; apiKeyId: string | null; amountNanoUsd: bigint; ttlMs: number }): Promise<ReserveResult> {
  const now = new Date();
  const { day, month } = spendPeriods(now);
  const amount = input.amountNanoUsd;
  try {
    return await db.$transaction(async (tx) => {
      if (input.apiKeyId) {
        const keyHeld = await tx.$executeRaw`
          UPDATE "ApiKey" SET "reservedNanoUsd" = "reservedNanoUsd" + ${amount}
          WHERE "id" = ${input.apiKeyId}
            AND ("spendLimitTotalNanoUsd" IS NULL OR "spentNanoUsd" + "reservedNanoUsd" + ${amount} <= "spendLimitTotalNanoUsd")
            AND ("spendLimitDayNanoUsd" IS NULL OR (CASE WHEN "spentDayPeriod" = ${day} THEN "spentDayNanoUsd" ELSE 0 END) + "reservedNanoUsd" + ${amount} <= "spendLimitDayNanoUsd")
            AND ("spendLimitMonthNanoUsd" IS NULL OR (CASE WHEN "spentMonthPeriod" = ${month} THEN "spentMonthNanoUsd" ELSE 0 END) + "reservedNanoUsd" + ${amount} <= "spendLimitMonthNanoUsd")`;
        if (keyHeld !== 1) throw new Refused(await brokenKeyLimit(tx, input.apiKeyId, amount, day, month));
      }
      const held = await tx.$executeRaw`
        UPDATE "User" SET "reservedNanoUsd" = "reservedNanoUsd" + ${amount}
        WHERE "id" = ${input.userId} AND "balanceNanoUsd" - "reservedNanoUsd" >= ${amount}`;
      // Throwing rolls back the key's hold taken above.
      if (held !== 1) throw new Refused("balance");
      await tx.reservation.create({ data: { id: input.id, userId: input.userId, apiKeyId: input.apiKeyId, amountNanoUsd: amount, createdAt: now, expiresAt: new Date(now.getTime() + input.ttlMs) } });
      return { ok: true } as const;
    }, TX_OPTIONS);
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusedBy: error.refusedBy };
    throw error;
  }
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
    if (reservation.apiKeyId) {
      // Raw SQL on purpose: Prisma's update would move updatedAt and wake every key cache.
      const { day, month } = spendPeriods(new Date());
      await tx.$executeRaw`
        UPDATE "ApiKey" SET
          "reservedNanoUsd" = "reservedNanoUsd" - ${reservation.amountNanoUsd},
          "spentNanoUsd" = "spentNanoUsd" + ${debit},
          "spentDayNanoUsd" = (CASE WHEN "spentDayPeriod" = ${day} THEN "spentDayNanoUsd" ELSE 0 END) + ${debit},
          "spentDayPeriod" = ${day},
          "spentMonthNanoUsd" = (CASE WHEN "spentMonthPeriod" = ${month} THEN "spentMonthNanoUsd" ELSE 0 END) + ${debit},
          "spentMonthPeriod" = ${month}
        WHERE "id" = ${reservation.apiKeyId}`;
    }
    // The key's row before the user's, as in reserve(): one lock order, no deadlocks on PostgreSQL.
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
