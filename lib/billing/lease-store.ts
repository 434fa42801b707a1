/**
 * The database side of balance leases (lib/billing/lease-billing.ts keeps their memory side).
 * A Lease row is money one process holds for an account and one of its keys: its amount is
 * counted in User.reservedNanoUsd and ApiKey.reservedNanoUsd, so `balance - reserved >= amount`
 * keeps guarding every other instance and every per-request hold.
 *
 * Lock order, the same in every transaction that touches a lease, so PostgreSQL never
 * deadlocks (and SQLite takes its write lock at the first statement, always a write):
 * Lease → Reservation → LedgerEntry → ApiKey (by id) → Membership (by id) → User (by id).
 *
 * Two stores implement the LeaseStore port lease-billing.ts uses: the one here, through
 * Prisma on the serving thread (PostgreSQL, SQLITE_WRITE_WORKER=off, and the fallback), and
 * worker-lease-store.ts, which runs the same writes on SQLite's write worker thread.
 */
import { randomUUID } from "node:crypto";
import { Prisma } from "../db/generated/sqlite/client.ts";
import type { Db } from "../db/client.ts";
import {
  holdOnKey,
  holdOnMember,
  holdOnUser,
  moneySql,
  moveKeyMoney,
  moveUserMoney,
  refusable,
  spendPeriods,
  TX_OPTIONS,
  type ReservationOwner,
  type ReserveResult,
  type Tx,
} from "./ledger.ts";

/** `membershipId`: the organization member who created the key, whose credit limits the lease holds on too (null: a personal key). */
export type LeaseRef = { id: string; userId: string; apiKeyId: string | null; membershipId: string | null };

/** The database side of leases, as lease-billing.ts sees it. */
export type LeaseStore = {
  leasable(userId: string, apiKeyId: string | null, membershipId: string | null): Promise<bigint>;
  grow(lease: LeaseRef, input: GrowInput): Promise<ReserveResult>;
  shrink(lease: LeaseRef, amount: bigint, closeIfEmpty: boolean): Promise<"open" | "closed" | "gone">;
  checkpoint(input: LeasedCheckpoint): Promise<boolean>;
  settleBatch(owner: ReservationOwner, batch: LeasedSettlement[]): Promise<BatchOutcome>;
  stats(): LeaseStoreStats;
};

/** Where settlement batches are written: `offThreadBatches` by the SQLite write worker, `fallbackBatches` on this thread because it could not run. */
export type LeaseStoreStats = { via: "worker" | "main"; offThreadBatches: number; fallbackBatches: number };

export type GrowInput = { amountNanoUsd: bigint; create: boolean; owner: ReservationOwner };

export type LeasedCheckpoint = {
  reservationId: string;
  lease: LeaseRef;
  holdNanoUsd: bigint;
  heldAt: Date;
  ttlMs: number;
  owner: ReservationOwner;
  costNanoUsd: bigint;
  record: string;
  at?: Date;
};

/** The single-row statements of lease operations, shared with the worker store so both run the same SQL. */
export const leaseSql = {
  create(lease: LeaseRef, amount: bigint, owner: ReservationOwner, now: Date): Prisma.Sql {
    return Prisma.sql`
        INSERT INTO "Lease" ("id", "userId", "apiKeyId", "amountNanoUsd", "instanceId", "bootId", "createdAt", "updatedAt")
        VALUES (${lease.id}, ${lease.userId}, ${lease.apiKeyId}, ${amount}, ${owner.instanceId}, ${owner.bootId}, ${now}, ${now})`;
  },
  /** one row changed, or none: recovery returned the lease */
  grow(lease: LeaseRef, amount: bigint, now: Date): Prisma.Sql {
    return Prisma.sql`UPDATE "Lease" SET "amountNanoUsd" = "amountNanoUsd" + ${amount}, "updatedAt" = ${now} WHERE "id" = ${lease.id}`;
  },
  /** one row changed, or none: recovery returned the lease (or it holds less than `amount`) */
  shrink(lease: LeaseRef, amount: bigint, now: Date): Prisma.Sql {
    return Prisma.sql`UPDATE "Lease" SET "amountNanoUsd" = "amountNanoUsd" - ${amount}, "updatedAt" = ${now} WHERE "id" = ${lease.id} AND "amountNanoUsd" >= ${amount}`;
  },
  deleteIfEmpty(lease: LeaseRef): Prisma.Sql {
    return Prisma.sql`DELETE FROM "Lease" WHERE "id" = ${lease.id} AND "amountNanoUsd" = 0`;
  },
  /** locks the lease row (one row changed), or finds it gone */
  touch(lease: LeaseRef, at: Date): Prisma.Sql {
    return Prisma.sql`UPDATE "Lease" SET "updatedAt" = ${at} WHERE "id" = ${lease.id}`;
  },
  /** a leased stream's own Reservation row, written at its first checkpoint and updated at the next (one row changed), never once settled */
  checkpointHold(input: LeasedCheckpoint, at: Date): Prisma.Sql {
    return Prisma.sql`
      INSERT INTO "Reservation" ("id", "userId", "apiKeyId", "amountNanoUsd", "createdAt", "expiresAt", "instanceId", "bootId", "leaseId", "provisionalCostNanoUsd", "provisionalRecord", "checkpointAt")
      VALUES (${input.reservationId}, ${input.lease.userId}, ${input.lease.apiKeyId}, ${input.holdNanoUsd}, ${input.heldAt}, ${new Date(input.heldAt.getTime() + input.ttlMs)}, ${input.owner.instanceId}, ${input.owner.bootId}, ${input.lease.id}, ${input.costNanoUsd}, ${input.record}, ${at})
      ON CONFLICT ("id") DO UPDATE SET "provisionalCostNanoUsd" = EXCLUDED."provisionalCostNanoUsd", "provisionalRecord" = EXCLUDED."provisionalRecord", "checkpointAt" = EXCLUDED."checkpointAt"
      WHERE "Reservation"."settledAt" IS NULL`;
  },
};

/** The lease row was deleted under us: crash recovery took this process for dead and returned it. */
export class LeaseGone extends Error {
  constructor(leaseId: string) {
    super(`lease ${leaseId} was returned by crash recovery`);
  }
}

/**
 * What an account and one of its keys can still lend: the available balance and the smallest
 * headroom of the key's spend limits and of its member's credit limits.
 */
export async function leasableNanoUsd(db: Db, userId: string, apiKeyId: string | null, membershipId: string | null = null, at = new Date()): Promise<bigint> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { balanceNanoUsd: true, reservedNanoUsd: true } });
  if (!user) return 0n;
  let room = user.balanceNanoUsd - user.reservedNanoUsd;
  if (apiKeyId) {
    const key = await db.apiKey.findUnique({ where: { id: apiKeyId } });
    if (!key) return 0n;
    const { day, month } = spendPeriods(at);
    const spent = [
      [key.spendLimitTotalNanoUsd, key.spentNanoUsd],
      [key.spendLimitDayNanoUsd, key.spentDayPeriod === day ? key.spentDayNanoUsd : 0n],
      [key.spendLimitMonthNanoUsd, key.spentMonthPeriod === month ? key.spentMonthNanoUsd : 0n],
    ] as const;
    for (const [limit, used] of spent) if (limit !== null && limit - used - key.reservedNanoUsd < room) room = limit - used - key.reservedNanoUsd;
  }
  if (membershipId) {
    const member = await db.membership.findUnique({ where: { id: membershipId } });
    if (!member || member.status !== "active") return 0n;
    const { day, week, month } = spendPeriods(at);
    const spent = [
      [member.spendLimitTotalNanoUsd, member.spentNanoUsd],
      [member.spendLimitDayNanoUsd, member.spentDayPeriod === day ? member.spentDayNanoUsd : 0n],
      [member.spendLimitWeekNanoUsd, member.spentWeekPeriod === week ? member.spentWeekNanoUsd : 0n],
      [member.spendLimitMonthNanoUsd, member.spentMonthPeriod === month ? member.spentMonthNanoUsd : 0n],
    ] as const;
    for (const [limit, used] of spent) if (limit !== null && limit - used - member.reservedNanoUsd < room) room = limit - used - member.reservedNanoUsd;
  }
  return room > 0n ? room : 0n;
}

/**
 * Adds `amount` to a lease (creating its row when `create`), held on the key and the account
 * by the same conditional UPDATEs as a per-request hold: refused when either cannot cover it.
 * Throws LeaseGone when an existing lease was returned by recovery.
 */
export async function growLease(db: Db, lease: LeaseRef, input: GrowInput): Promise<ReserveResult> {
  const amount = input.amountNanoUsd;
  return refusable(db, async (tx) => {
    const now = new Date();
    if (input.create) await tx.$executeRaw(leaseSql.create(lease, amount, input.owner, now));
    else if ((await tx.$executeRaw(leaseSql.grow(lease, amount, now))) !== 1) throw new LeaseGone(lease.id);
    if (lease.apiKeyId) await holdOnKey(tx, lease.apiKeyId, amount, now);
    if (lease.membershipId) await holdOnMember(tx, lease.membershipId, amount, now);
    await holdOnUser(tx, lease.userId, amount);
  });
}

/**
 * Gives `amount` of a lease back to the account and key; with `closeIfEmpty`, deletes the
 * row when nothing is left in it. "gone" when recovery had returned the lease already.
 */
export async function shrinkLease(db: Db, lease: LeaseRef, amount: bigint, closeIfEmpty: boolean): Promise<"open" | "closed" | "gone"> {
  return db.$transaction(async (tx) => {
    const shrunk = await tx.$executeRaw(leaseSql.shrink(lease, amount, new Date()));
    if (shrunk !== 1) return "gone";
    if (amount > 0n) {
      if (lease.apiKeyId) await moveKeyMoney(tx, lease.apiKeyId, { releasedNanoUsd: amount, spentNanoUsd: 0n });
      await moveUserMoney(tx, lease.userId, { releasedNanoUsd: amount, spentNanoUsd: 0n });
    }
    if (!closeIfEmpty) return "open";
    const closed = await tx.$executeRaw(leaseSql.deleteIfEmpty(lease));
    return closed === 1 ? "closed" : "open";
  }, TX_OPTIONS);
}

/**
 * A leased stream's checkpoint: its own Reservation row (leaseId set, amount counted in the
 * lease), written at the first checkpoint and updated at the next, for crash recovery to
 * charge with the lease. The lease row is locked first, so a lease recovery already done
 * (or under way) wins and no row is left behind for a lease that no longer exists.
 */
export async function checkpointLeasedHold(db: Db, input: LeasedCheckpoint): Promise<boolean> {
  const at = input.at ?? new Date();
  return db.$transaction(async (tx) => {
    if ((await tx.$executeRaw(leaseSql.touch(input.lease, at))) !== 1) return false;
    return (await tx.$executeRaw(leaseSql.checkpointHold(input, at))) === 1;
  }, TX_OPTIONS);
}

/**
 * One call held from a lease, settled. `debitNanoUsd`: the part of the cost taken out of the
 * lease (the cost, or what is left in the lease when an upstream overran its hold); the rest
 * of the cost comes off the balance directly, as an overrun does with a per-request hold.
 */
export type LeasedSettlement = {
  reservationId: string;
  lease: LeaseRef;
  holdNanoUsd: bigint;
  heldAt: Date;
  ttlMs: number;
  costNanoUsd: bigint;
  debitNanoUsd: bigint;
  idempotencyKey: string;
  generationId: string | null;
  /** the generation record (provisional-record.ts JSON), stored for recovery until the activity writer marks it recorded */
  record: string;
};

/** `settled`: reservations this batch closed (not taken by recovery first); `charged`: of those, the ones whose charge was written; `openLeases`: leases still held. */
export type BatchOutcome = { settled: Set<string>; charged: Set<string>; openLeases: Set<string> };

function sum<T>(items: T[], keyOf: (item: T) => string | null, amountOf: (item: T) => bigint): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== null) sums.set(key, (sums.get(key) ?? 0n) + amountOf(item));
  }
  return new Map([...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Settles many leased calls in one transaction (group commit): one multi-row upsert closes
 * their reservations (storing each generation record), one multi-row insert writes their
 * charges under their idempotency keys (ON CONFLICT DO NOTHING), then one UPDATE per lease,
 * key and account moves the money: the charge leaves the balance and the lease (so
 * `reserved` shrinks with it) and counts in the key's spend.
 */
export async function settleLeasedBatch(db: Db, owner: ReservationOwner, batch: LeasedSettlement[]): Promise<BatchOutcome> {
  return db.$transaction(async (tx) => {
    const now = new Date();
    const leaseIds = [...new Set(batch.map((s) => s.lease.id))].sort();
    const open = await tx.$queryRaw<{ id: string }[]>`UPDATE "Lease" SET "updatedAt" = ${now} WHERE "id" IN (${Prisma.join(leaseIds)}) RETURNING "id"`;
    const openLeases = new Set(open.map((row) => row.id));
    const rows = batch.map(
      (s) =>
        Prisma.sql`(${s.reservationId}, ${s.lease.userId}, ${s.lease.apiKeyId}, ${s.holdNanoUsd}, ${s.heldAt}, ${new Date(s.heldAt.getTime() + s.ttlMs)}, ${now}, ${owner.instanceId}, ${owner.bootId}, ${s.lease.id}, ${s.record})`,
    );
    // A stream that checkpointed has its row already: closed here unless recovery closed it first.
    const closed = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Reservation" ("id", "userId", "apiKeyId", "amountNanoUsd", "createdAt", "expiresAt", "settledAt", "instanceId", "bootId", "leaseId", "provisionalRecord")
      VALUES ${Prisma.join(rows)}
      ON CONFLICT ("id") DO UPDATE SET "settledAt" = EXCLUDED."settledAt", "provisionalRecord" = EXCLUDED."provisionalRecord"
      WHERE "Reservation"."settledAt" IS NULL
      RETURNING "id"`;
    const settled = new Set(closed.map((row) => row.id));
    const toCharge = batch.filter((s) => settled.has(s.reservationId) && s.costNanoUsd > 0n);
    const charged = new Set<string>();
    if (toCharge.length > 0) {
      const entries = toCharge.map(
        (s) =>
          Prisma.sql`(${randomUUID()}, ${s.lease.userId}, ${"charge"}, ${-s.costNanoUsd}, ${s.idempotencyKey}, ${s.generationId}, ${null}, ${null}, ${now})`,
      );
      const inserted = await tx.$queryRaw<{ idempotencyKey: string }[]>`
        INSERT INTO "LedgerEntry" ("id", "userId", "kind", "amountNanoUsd", "idempotencyKey", "generationId", "reason", "actorId", "createdAt")
        VALUES ${Prisma.join(entries)}
        ON CONFLICT ("idempotencyKey") DO NOTHING
        RETURNING "idempotencyKey"`;
      const keys = new Set(inserted.map((row) => row.idempotencyKey));
      for (const s of toCharge) if (keys.has(s.idempotencyKey)) charged.add(s.reservationId);
    }
    const paid = batch.filter((s) => charged.has(s.reservationId));
    // Debits of a lease recovery returned were released with it: the charge then comes off the balance only.
    const fromLease = paid.filter((s) => openLeases.has(s.lease.id));
    for (const [leaseId, debit] of sum(
      fromLease,
      (s) => s.lease.id,
      (s) => s.debitNanoUsd,
    ))
      if (debit > 0n) await tx.$executeRaw`UPDATE "Lease" SET "amountNanoUsd" = "amountNanoUsd" - ${debit} WHERE "id" = ${leaseId}`;
    const releasedByKey = sum(
      fromLease,
      (s) => s.lease.apiKeyId,
      (s) => s.debitNanoUsd,
    );
    const keyMoves = sum(
      paid,
      (s) => s.lease.apiKeyId,
      (s) => s.costNanoUsd,
    );
    for (const [apiKeyId, spent] of keyMoves)
      await tx.$executeRaw(moneySql.moveKeyMoney(apiKeyId, { releasedNanoUsd: releasedByKey.get(apiKeyId) ?? 0n, spentNanoUsd: spent }));
    // Every key row before any member row, members in id order: the lock order of every other transaction.
    for (const [membershipId, money] of await memberMoves(tx, keyMoves, releasedByKey)) await tx.$executeRaw(moneySql.moveMemberMoney(membershipId, money));
    const releasedByUser = sum(
      fromLease,
      (s) => s.lease.userId,
      (s) => s.debitNanoUsd,
    );
    for (const [userId, spent] of sum(
      paid,
      (s) => s.lease.userId,
      (s) => s.costNanoUsd,
    ))
      await moveUserMoney(tx, userId, { releasedNanoUsd: releasedByUser.get(userId) ?? 0n, spentNanoUsd: spent });
    return { settled, charged, openLeases };
  }, TX_OPTIONS);
}

/** The money a batch moves per organization member (their keys' sums), sorted by member id. */
async function memberMoves(
  tx: Tx,
  spentByKey: Map<string, bigint>,
  releasedByKey: Map<string, bigint>,
): Promise<[string, { releasedNanoUsd: bigint; spentNanoUsd: bigint }][]> {
  if (spentByKey.size === 0) return [];
  const keys = await tx.apiKey.findMany({
    where: { id: { in: [...spentByKey.keys()] }, membershipId: { not: null } },
    select: { id: true, membershipId: true },
  });
  const moves = new Map<string, { releasedNanoUsd: bigint; spentNanoUsd: bigint }>();
  for (const key of keys) {
    const move = moves.get(key.membershipId!) ?? { releasedNanoUsd: 0n, spentNanoUsd: 0n };
    move.releasedNanoUsd += releasedByKey.get(key.id) ?? 0n;
    move.spentNanoUsd += spentByKey.get(key.id) ?? 0n;
    moves.set(key.membershipId!, move);
  }
  return [...moves].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Leases through Prisma on the serving thread (PostgreSQL's driver is asynchronous; SQLite's is not, see worker-lease-store.ts). */
export function createPrismaLeaseStore(db: Db): LeaseStore {
  return {
    leasable: (userId, apiKeyId, membershipId) => leasableNanoUsd(db, userId, apiKeyId, membershipId),
    grow: (lease, input) => growLease(db, lease, input),
    shrink: (lease, amount, closeIfEmpty) => shrinkLease(db, lease, amount, closeIfEmpty),
    checkpoint: (input) => checkpointLeasedHold(db, input),
    settleBatch: (owner, batch) => settleLeasedBatch(db, owner, batch),
    stats: () => ({ via: "main", offThreadBatches: 0, fallbackBatches: 0 }),
  };
}
