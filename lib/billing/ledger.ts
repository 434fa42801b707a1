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
import { Prisma } from "../db/generated/sqlite/client.ts";
import { retentionPolicy } from "../activity/retention.ts";
import { findOrphanedLeases, findOrphanedReservations, INSTANCE_DEFAULTS, type OrphanReason } from "./instance-registry.ts";
import { findChargesWithoutRecord, type ChargeWithoutRecord } from "./unrecorded-charges.ts";

export type CreditKind = "trial_grant" | "top_up" | "redemption" | "adjustment" | "refund";
export type LedgerKind = CreditKind | "charge";

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export const TX_OPTIONS = { timeout: 20_000, maxWait: 20_000 };

export async function insertEntry(
  tx: Tx,
  entry: {
    userId: string;
    kind: LedgerKind;
    amountNanoUsd: bigint;
    idempotencyKey: string;
    generationId?: string | null;
    reason?: string | null;
    actorId?: string | null;
  },
): Promise<boolean> {
  // ON CONFLICT DO NOTHING: a duplicate key is "already applied", not an error that aborts the transaction.
  const inserted = await tx.$executeRaw`
    INSERT INTO "LedgerEntry" ("id", "userId", "kind", "amountNanoUsd", "idempotencyKey", "generationId", "reason", "actorId", "createdAt")
    VALUES (${randomUUID()}, ${entry.userId}, ${entry.kind}, ${entry.amountNanoUsd}, ${entry.idempotencyKey}, ${entry.generationId ?? null}, ${entry.reason ?? null}, ${entry.actorId ?? null}, ${new Date()})
    ON CONFLICT ("idempotencyKey") DO NOTHING`;
  return inserted === 1;
}

/** Adds (or, for adjustments, subtracts) money. Idempotent: a repeated key changes nothing. */
export type CreditInput = { userId: string; kind: CreditKind; amountNanoUsd: bigint; idempotencyKey: string; reason?: string; actorId?: string | null };

export async function credit(db: Db, input: CreditInput): Promise<{ applied: boolean }> {
  return db.$transaction((tx) => creditInTransaction(tx, input), TX_OPTIONS);
}

/** The same, inside the caller's transaction (an admin's credit commits with its audit row). */
export async function creditInTransaction(tx: Tx, input: CreditInput): Promise<{ applied: boolean }> {
  const applied = await insertEntry(tx, input);
  if (applied) await tx.$executeRaw`UPDATE "User" SET "balanceNanoUsd" = "balanceNanoUsd" + ${input.amountNanoUsd} WHERE "id" = ${input.userId}`;
  return { applied };
}

export type ReserveResult = { ok: true } | { ok: false; refusedBy: HoldRefusal };
export type KeyLimitName = "key_total" | "key_day" | "key_month";
/** an organization member's credit limits, and "member_removed" for a key whose creator left (or was removed) */
export type MemberLimitName = "member_total" | "member_day" | "member_week" | "member_month" | "member_removed";
export type HoldRefusal = "balance" | KeyLimitName | MemberLimitName;

class Refused extends Error {
  constructor(readonly refusedBy: Exclude<ReserveResult, { ok: true }>["refusedBy"]) {
    super(refusedBy);
  }
}

/** UTC periods the spend counters belong to: day (YYYY-MM-DD), ISO week (YYYY-Www, weeks start on Monday) and month (YYYY-MM). */
export function spendPeriods(at: Date): { day: string; week: string; month: string } {
  const day = at.toISOString().slice(0, 10);
  return { day, week: isoWeek(at), month: day.slice(0, 7) };
}

/** The ISO 8601 week of a UTC instant: the week's Thursday decides its year. */
export function isoWeek(at: Date): string {
  const thursday = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  thursday.setUTCDate(thursday.getUTCDate() + 3 - ((thursday.getUTCDay() + 6) % 7));
  const dayOfYear = (thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / 86_400_000;
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** Which of a key's limits `amount` would break (the conditional UPDATE already said one does). */
export async function brokenKeyLimit(db: Pick<Tx, "apiKey">, apiKeyId: string, amount: bigint, at: Date): Promise<KeyLimitName> {
  const { day, month } = spendPeriods(at);
  const key = await db.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } });
  const held = key.reservedNanoUsd + amount;
  if (key.spendLimitDayNanoUsd !== null && (key.spentDayPeriod === day ? key.spentDayNanoUsd : 0n) + held > key.spendLimitDayNanoUsd) return "key_day";
  if (key.spendLimitMonthNanoUsd !== null && (key.spentMonthPeriod === month ? key.spentMonthNanoUsd : 0n) + held > key.spendLimitMonthNanoUsd)
    return "key_month";
  return "key_total";
}

/** Which of a member's limits `amount` would break, or that they are no longer a member (the conditional UPDATE already said one does). */
export async function brokenMemberLimit(db: Pick<Tx, "membership">, membershipId: string, amount: bigint, at: Date): Promise<MemberLimitName> {
  const { day, week, month } = spendPeriods(at);
  const member = await db.membership.findUnique({ where: { id: membershipId } });
  if (!member || member.status !== "active") return "member_removed";
  const held = member.reservedNanoUsd + amount;
  const over = (limit: bigint | null, spent: bigint) => limit !== null && spent + held > limit;
  if (over(member.spendLimitDayNanoUsd, member.spentDayPeriod === day ? member.spentDayNanoUsd : 0n)) return "member_day";
  if (over(member.spendLimitWeekNanoUsd, member.spentWeekPeriod === week ? member.spentWeekNanoUsd : 0n)) return "member_week";
  if (over(member.spendLimitMonthNanoUsd, member.spentMonthPeriod === month ? member.spentMonthNanoUsd : 0n)) return "member_month";
  return "member_total";
}

/**
 * The statements of holds and money moves, shared by Prisma's raw queries here and the SQLite
 * write worker (lease-statements.ts runs them there), so both run the same SQL.
 */
export const moneySql = {
  /** adds `amount` to the key's held money if its spend limits (total, today, this month, in-flight holds included) still cover it: one row changed, or none */
  holdOnKey(apiKeyId: string, amount: bigint, at: Date): Prisma.Sql {
    const { day, month } = spendPeriods(at);
    return Prisma.sql`
    UPDATE "ApiKey" SET "reservedNanoUsd" = "reservedNanoUsd" + ${amount}
    WHERE "id" = ${apiKeyId}
      AND ("spendLimitTotalNanoUsd" IS NULL OR "spentNanoUsd" + "reservedNanoUsd" + ${amount} <= "spendLimitTotalNanoUsd")
      AND ("spendLimitDayNanoUsd" IS NULL OR (CASE WHEN "spentDayPeriod" = ${day} THEN "spentDayNanoUsd" ELSE 0 END) + "reservedNanoUsd" + ${amount} <= "spendLimitDayNanoUsd")
      AND ("spendLimitMonthNanoUsd" IS NULL OR (CASE WHEN "spentMonthPeriod" = ${month} THEN "spentMonthNanoUsd" ELSE 0 END) + "reservedNanoUsd" + ${amount} <= "spendLimitMonthNanoUsd")`;
  },
  /**
   * adds `amount` to an organization member's held money if they are still a member and their
   * credit limits (total, today, this ISO week, this month, in-flight holds included) cover it:
   * one row changed, or none
   */
  holdOnMember(membershipId: string, amount: bigint, at: Date): Prisma.Sql {
    const { day, week, month } = spendPeriods(at);
    return Prisma.sql`
    UPDATE "Membership" SET "reservedNanoUsd" = "reservedNanoUsd" + ${amount}
    WHERE "id" = ${membershipId} AND "status" = 'active'
      AND ("spendLimitTotalNanoUsd" IS NULL OR "spentNanoUsd" + "reservedNanoUsd" + ${amount} <= "spendLimitTotalNanoUsd")
      AND ("spendLimitDayNanoUsd" IS NULL OR (CASE WHEN "spentDayPeriod" = ${day} THEN "spentDayNanoUsd" ELSE 0 END) + "reservedNanoUsd" + ${amount} <= "spendLimitDayNanoUsd")
      AND ("spendLimitWeekNanoUsd" IS NULL OR (CASE WHEN "spentWeekPeriod" = ${week} THEN "spentWeekNanoUsd" ELSE 0 END) + "reservedNanoUsd" + ${amount} <= "spendLimitWeekNanoUsd")
      AND ("spendLimitMonthNanoUsd" IS NULL OR (CASE WHEN "spentMonthPeriod" = ${month} THEN "spentMonthNanoUsd" ELSE 0 END) + "reservedNanoUsd" + ${amount} <= "spendLimitMonthNanoUsd")`;
  },
  /**
   * releases held money from the member who created a key (none for a personal key: no row) and
   * counts what was spent in their counters; by the key, because a key's member never changes
   * and every hold on a key held on that member
   */
  moveMemberMoneyOfKey(apiKeyId: string, money: { releasedNanoUsd: bigint; spentNanoUsd: bigint }, at = new Date()): Prisma.Sql {
    return moveMemberMoneyWhere(Prisma.sql`(SELECT "membershipId" FROM "ApiKey" WHERE "id" = ${apiKeyId})`, money, at);
  },
  /** the same by the member's id (a settlement batch moves each member's money once, in id order) */
  moveMemberMoney(membershipId: string, money: { releasedNanoUsd: bigint; spentNanoUsd: bigint }, at = new Date()): Prisma.Sql {
    return moveMemberMoneyWhere(Prisma.sql`${membershipId}`, money, at);
  },
  /** adds `amount` to the account's held money if its available balance covers it: one row changed, or none */
  holdOnUser(userId: string, amount: bigint): Prisma.Sql {
    return Prisma.sql`
    UPDATE "User" SET "reservedNanoUsd" = "reservedNanoUsd" + ${amount}
    WHERE "id" = ${userId} AND "balanceNanoUsd" - "reservedNanoUsd" >= ${amount}`;
  },
  /** releases held money from a key and counts what was spent in its total, today's and this month's counters */
  moveKeyMoney(apiKeyId: string, money: { releasedNanoUsd: bigint; spentNanoUsd: bigint }, at = new Date()): Prisma.Sql {
    // Raw SQL on purpose: Prisma's update would move updatedAt and wake every key cache.
    const { day, month } = spendPeriods(at);
    const { releasedNanoUsd: released, spentNanoUsd: spent } = money;
    return Prisma.sql`
    UPDATE "ApiKey" SET
      "reservedNanoUsd" = "reservedNanoUsd" - ${released},
      "spentNanoUsd" = "spentNanoUsd" + ${spent},
      "spentDayNanoUsd" = (CASE WHEN "spentDayPeriod" = ${day} THEN "spentDayNanoUsd" ELSE 0 END) + ${spent},
      "spentDayPeriod" = ${day},
      "spentMonthNanoUsd" = (CASE WHEN "spentMonthPeriod" = ${month} THEN "spentMonthNanoUsd" ELSE 0 END) + ${spent},
      "spentMonthPeriod" = ${month}
    WHERE "id" = ${apiKeyId}`;
  },
  /** releases held money from an account and takes what was spent off its balance (the ledger entries are the caller's) */
  moveUserMoney(userId: string, money: { releasedNanoUsd: bigint; spentNanoUsd: bigint }): Prisma.Sql {
    return Prisma.sql`
    UPDATE "User" SET "balanceNanoUsd" = "balanceNanoUsd" - ${money.spentNanoUsd}, "reservedNanoUsd" = "reservedNanoUsd" - ${money.releasedNanoUsd}
    WHERE "id" = ${userId}`;
  },
};

function moveMemberMoneyWhere(membershipId: Prisma.Sql, money: { releasedNanoUsd: bigint; spentNanoUsd: bigint }, at: Date): Prisma.Sql {
  const { day, week, month } = spendPeriods(at);
  const { releasedNanoUsd: released, spentNanoUsd: spent } = money;
  return Prisma.sql`
    UPDATE "Membership" SET
      "reservedNanoUsd" = "reservedNanoUsd" - ${released},
      "spentNanoUsd" = "spentNanoUsd" + ${spent},
      "spentDayNanoUsd" = (CASE WHEN "spentDayPeriod" = ${day} THEN "spentDayNanoUsd" ELSE 0 END) + ${spent},
      "spentDayPeriod" = ${day},
      "spentWeekNanoUsd" = (CASE WHEN "spentWeekPeriod" = ${week} THEN "spentWeekNanoUsd" ELSE 0 END) + ${spent},
      "spentWeekPeriod" = ${week},
      "spentMonthNanoUsd" = (CASE WHEN "spentMonthPeriod" = ${month} THEN "spentMonthNanoUsd" ELSE 0 END) + ${spent},
      "spentMonthPeriod" = ${month}
    WHERE "id" = ${membershipId}`;
}

/**
 * Adds `amount` to the key's held money if its spend limits (total, today, this month,
 * in-flight holds included) still cover it; throws Refused naming the limit otherwise.
 */
export async function holdOnKey(tx: Tx, apiKeyId: string, amount: bigint, at: Date): Promise<void> {
  const keyHeld = await tx.$executeRaw(moneySql.holdOnKey(apiKeyId, amount, at));
  if (keyHeld !== 1) throw new Refused(await brokenKeyLimit(tx, apiKeyId, amount, at));
}

/** Adds `amount` to a member's held money if they are still a member and their credit limits cover it; throws Refused naming the limit otherwise. */
export async function holdOnMember(tx: Tx, membershipId: string, amount: bigint, at: Date): Promise<void> {
  const held = await tx.$executeRaw(moneySql.holdOnMember(membershipId, amount, at));
  if (held !== 1) throw new Refused(await brokenMemberLimit(tx, membershipId, amount, at));
}

/** Adds `amount` to the account's held money if its available balance covers it; throws Refused("balance") otherwise. */
export async function holdOnUser(tx: Tx, userId: string, amount: bigint): Promise<void> {
  const held = await tx.$executeRaw(moneySql.holdOnUser(userId, amount));
  if (held !== 1) throw new Refused("balance");
}

/** Runs `hold` in a transaction; a Refused thrown inside rolls it back and becomes the refusal. */
export async function refusable(db: Db, hold: (tx: Tx) => Promise<void>): Promise<ReserveResult> {
  try {
    await db.$transaction(hold, TX_OPTIONS);
    return { ok: true };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusedBy: error.refusedBy };
    throw error;
  }
}

/**
 * Holds `amount` for a request if the key's spend limits (total, today, this month,
 * in-flight holds included), its member's credit limits (an organization key: `membershipId`)
 * and the account's available balance all cover it.
 */
export async function reserve(
  db: Db,
  input: { id: string; userId: string; apiKeyId: string | null; membershipId?: string | null; amountNanoUsd: bigint; ttlMs: number; owner?: ReservationOwner },
): Promise<ReserveResult> {
  const now = new Date();
  const amount = input.amountNanoUsd;
  return refusable(db, async (tx) => {
    // Lock order, in every transaction that moves money: ApiKey → Membership → User.
    if (input.apiKeyId) await holdOnKey(tx, input.apiKeyId, amount, now);
    if (input.membershipId) await holdOnMember(tx, input.membershipId, amount, now);
    // Throwing rolls back the key's hold taken above.
    await holdOnUser(tx, input.userId, amount);
    await tx.reservation.create({
      data: {
        id: input.id,
        userId: input.userId,
        apiKeyId: input.apiKeyId,
        amountNanoUsd: amount,
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.ttlMs),
        instanceId: input.owner?.instanceId ?? null,
        bootId: input.owner?.bootId ?? null,
      },
    });
  });
}

/** The gateway process holding a reservation: its instance id and this run's boot id (instance-registry.ts). */
export type ReservationOwner = { instanceId: string; bootId: string };

type ClosedReservation = {
  id: string;
  userId: string;
  apiKeyId: string | null;
  amountNanoUsd: bigint;
  provisionalCostNanoUsd: bigint | null;
  provisionalRecord: string | null;
  checkpointAt: Date | null;
};

/**
 * `finalRecord`: the request's generation record (provisional-record.ts JSON), stored for
 * recovery until the activity writer marks it recorded. `recorded`: the caller writes the
 * record in this transaction (crash recovery) or has none to write.
 */
export type CloseOptions = { at?: Date; finalRecord?: string; recorded?: boolean };

/**
 * Marks a reservation settled, first in its transaction. Null when it already was: by
 * its own request's settlement or by crash recovery, whichever came first; that single
 * conditional UPDATE is what makes the two exclusive on both databases.
 */
export async function closeOpenReservation(tx: Tx, reservationId: string, options: CloseOptions = {}): Promise<ClosedReservation | null> {
  const at = options.at ?? new Date();
  // The final record rides in the statement that closes the hold: a crash after this commit
  // can lose the queued activity row, never the record (unrecorded-settlements.ts).
  const closed =
    options.finalRecord !== undefined
      ? await tx.$executeRaw`UPDATE "Reservation" SET "settledAt" = ${at}, "provisionalRecord" = ${options.finalRecord} WHERE "id" = ${reservationId} AND "settledAt" IS NULL`
      : options.recorded
        ? await tx.$executeRaw`UPDATE "Reservation" SET "settledAt" = ${at}, "recordedAt" = ${at} WHERE "id" = ${reservationId} AND "settledAt" IS NULL`
        : await tx.$executeRaw`UPDATE "Reservation" SET "settledAt" = ${at} WHERE "id" = ${reservationId} AND "settledAt" IS NULL`;
  if (closed !== 1) return null;
  return tx.reservation.findUniqueOrThrow({ where: { id: reservationId } });
}

/** Charges a closed reservation's cost under the idempotency key and releases its hold. Returns whether a charge was written. */
export async function chargeAndRelease(
  tx: Tx,
  reservation: ClosedReservation,
  input: { costNanoUsd: bigint; idempotencyKey: string; generationId?: string | null },
): Promise<boolean> {
  const charged =
    input.costNanoUsd > 0n &&
    (await insertEntry(tx, {
      userId: reservation.userId,
      kind: "charge",
      amountNanoUsd: -input.costNanoUsd,
      idempotencyKey: input.idempotencyKey,
      generationId: input.generationId,
    }));
  const debit = charged ? input.costNanoUsd : 0n;
  // The key's row before the user's, as in reserve(): one lock order, no deadlocks on PostgreSQL.
  if (reservation.apiKeyId) await moveKeyMoney(tx, reservation.apiKeyId, { releasedNanoUsd: reservation.amountNanoUsd, spentNanoUsd: debit });
  await moveUserMoney(tx, reservation.userId, { releasedNanoUsd: reservation.amountNanoUsd, spentNanoUsd: debit });
  return charged;
}

/**
 * Releases held money from a key (and from the organization member who created it) and counts
 * what was spent in their total and period counters.
 */
export async function moveKeyMoney(tx: Tx, apiKeyId: string, money: { releasedNanoUsd: bigint; spentNanoUsd: bigint }): Promise<void> {
  // RETURNING tells whether the key has a member: a personal key's settlement stays one statement.
  const [key] = await tx.$queryRaw<{ membershipId: string | null }[]>(Prisma.sql`${moneySql.moveKeyMoney(apiKeyId, money)} RETURNING "membershipId"`);
  if (key?.membershipId) await tx.$executeRaw(moneySql.moveMemberMoney(key.membershipId, money));
}

/** Releases held money from an account and takes what was spent off its balance (the ledger entries are the caller's). */
export async function moveUserMoney(tx: Tx, userId: string, money: { releasedNanoUsd: bigint; spentNanoUsd: bigint }): Promise<void> {
  await tx.$executeRaw(moneySql.moveUserMoney(userId, money));
}

/**
 * Closes a reservation: charges `costNanoUsd` (0 for a failed request) under the
 * idempotency key and releases the hold, storing `record` (the generation record) on it. Settling twice changes nothing. The charge
 * may exceed the hold (an upstream that ignored max_tokens): that overrun is the only
 * way a balance goes below zero.
 */
export async function settle(
  db: Db,
  input: { reservationId: string; costNanoUsd: bigint; idempotencyKey: string; generationId?: string | null; record?: string },
): Promise<{ settled: boolean; charged: boolean }> {
  return db.$transaction(async (tx) => {
    const reservation = await closeOpenReservation(tx, input.reservationId, { finalRecord: input.record });
    if (!reservation) return { settled: false, charged: false };
    return { settled: true, charged: await chargeAndRelease(tx, reservation, input) };
  }, TX_OPTIONS);
}

/**
 * Makes a running request's cost so far durable on its reservation, for crash recovery
 * to charge (orphaned-holds.ts). One UPDATE; a no-op once the reservation is settled.
 */
export async function checkpointReservation(db: Db, input: { reservationId: string; costNanoUsd: bigint; record: string; at?: Date }): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE "Reservation" SET "provisionalCostNanoUsd" = ${input.costNanoUsd}, "provisionalRecord" = ${input.record}, "checkpointAt" = ${input.at ?? new Date()}
    WHERE "id" = ${input.reservationId} AND "settledAt" IS NULL`;
  return updated === 1;
}

/** `openReservationsNanoUsd`: the money the account's open per-request holds and balance leases hold, which `reservedNanoUsd` must equal. */
export type LedgerMismatch = {
  userId: string;
  email: string;
  balanceNanoUsd: bigint;
  ledgerSumNanoUsd: bigint;
  reservedNanoUsd: bigint;
  openReservationsNanoUsd: bigint;
};
/** Money an account has held by requests nobody will settle or leases nobody will return (their instance died, restarted or they expired), until a sweeper recovers it. `reservations` counts both. */
export type OrphanedHold = { userId: string; email: string; heldNanoUsd: bigint; reservations: number; reasons: OrphanReason[] };

/** An organization member whose held money is not what the open holds and leases of their keys hold. */
export type MemberHoldMismatch = { membershipId: string; organizationId: string; userId: string; reservedNanoUsd: bigint; openHoldsNanoUsd: bigint };

/** `chargesWithoutRecord`: charges older than a few minutes whose generation has no activity row (unrecorded-charges.ts). */
export type LedgerReport = {
  accounts: number;
  mismatches: LedgerMismatch[];
  memberMismatches: MemberHoldMismatch[];
  orphanedHolds: OrphanedHold[];
  chargesWithoutRecord: ChargeWithoutRecord[];
};

/** Members whose reservedNanoUsd is not the sum of their keys' open per-request holds and balance leases. */
async function verifyMemberHolds(db: Db): Promise<MemberHoldMismatch[]> {
  const [members, keys, holds, leases] = await Promise.all([
    db.membership.findMany({ select: { id: true, organizationId: true, userId: true, reservedNanoUsd: true } }),
    db.apiKey.findMany({ where: { membershipId: { not: null } }, select: { id: true, membershipId: true } }),
    db.reservation.groupBy({ by: ["apiKeyId"], where: { settledAt: null, leaseId: null, apiKeyId: { not: null } }, _sum: { amountNanoUsd: true } }),
    db.lease.groupBy({ by: ["apiKeyId"], where: { apiKeyId: { not: null } }, _sum: { amountNanoUsd: true } }),
  ]);
  const memberOfKey = new Map(keys.map((k) => [k.id, k.membershipId!]));
  const held = new Map<string, bigint>();
  for (const row of [...holds, ...leases]) {
    const member = row.apiKeyId ? memberOfKey.get(row.apiKeyId) : undefined;
    if (member) held.set(member, (held.get(member) ?? 0n) + (row._sum.amountNanoUsd ?? 0n));
  }
  return members
    .map((m) => ({
      membershipId: m.id,
      organizationId: m.organizationId,
      userId: m.userId,
      reservedNanoUsd: m.reservedNanoUsd,
      openHoldsNanoUsd: held.get(m.id) ?? 0n,
    }))
    .filter((m) => m.reservedNanoUsd !== m.openHoldsNanoUsd);
}

/**
 * Every account whose balance is not its ledger sum, or whose hold is not its open
 * reservations; the holds orphaned by dead or restarted instances (`staleMs`: how
 * long without a heartbeat makes an instance dead); and charges without an activity row.
 */
export async function verifyLedger(db: Db, options: { staleMs?: number; now?: Date; retentionDays?: number } = {}): Promise<LedgerReport> {
  const staleMs = options.staleMs ?? INSTANCE_DEFAULTS.staleMs;
  const [users, sums, holds, leases, orphans, orphanedLeases, chargesWithoutRecord, memberMismatches] = await Promise.all([
    db.user.findMany({ select: { id: true, email: true, balanceNanoUsd: true, reservedNanoUsd: true } }),
    db.ledgerEntry.groupBy({ by: ["userId"], _sum: { amountNanoUsd: true } }),
    // A leased hold's money is counted in its lease, not on its own.
    db.reservation.groupBy({ by: ["userId"], where: { settledAt: null, leaseId: null }, _sum: { amountNanoUsd: true } }),
    db.lease.groupBy({ by: ["userId"], _sum: { amountNanoUsd: true } }),
    findOrphanedReservations(db, { staleMs, now: options.now, take: 100_000 }),
    findOrphanedLeases(db, { staleMs, now: options.now, take: 100_000 }),
    findChargesWithoutRecord(db, { now: options.now, retentionDays: options.retentionDays ?? retentionPolicy().days }),
    verifyMemberHolds(db),
  ]);
  const sumOf = new Map(sums.map((s) => [s.userId, s._sum.amountNanoUsd ?? 0n]));
  const holdOf = new Map(holds.map((h) => [h.userId, h._sum.amountNanoUsd ?? 0n]));
  for (const lease of leases) holdOf.set(lease.userId, (holdOf.get(lease.userId) ?? 0n) + (lease._sum.amountNanoUsd ?? 0n));
  const mismatches = users
    .map((u) => ({
      userId: u.id,
      email: u.email,
      balanceNanoUsd: u.balanceNanoUsd,
      ledgerSumNanoUsd: sumOf.get(u.id) ?? 0n,
      reservedNanoUsd: u.reservedNanoUsd,
      openReservationsNanoUsd: holdOf.get(u.id) ?? 0n,
    }))
    .filter((m) => m.balanceNanoUsd !== m.ledgerSumNanoUsd || m.reservedNanoUsd !== m.openReservationsNanoUsd);
  const emailOf = new Map(users.map((u) => [u.id, u.email]));
  const orphanedHolds = new Map<string, OrphanedHold>();
  for (const orphan of [...orphans, ...orphanedLeases]) {
    const hold = orphanedHolds.get(orphan.userId) ?? {
      userId: orphan.userId,
      email: emailOf.get(orphan.userId) ?? "",
      heldNanoUsd: 0n,
      reservations: 0,
      reasons: [],
    };
    hold.heldNanoUsd += orphan.amountNanoUsd;
    hold.reservations++;
    if (!hold.reasons.includes(orphan.reason)) hold.reasons.push(orphan.reason);
    orphanedHolds.set(orphan.userId, hold);
  }
  return { accounts: users.length, mismatches, memberMismatches, orphanedHolds: [...orphanedHolds.values()], chargesWithoutRecord };
}
