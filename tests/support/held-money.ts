/**
 * What an account holds, split the way a user can rely on it with balance leases on (the
 * default): `reserved` is per-request holds plus the leases instances hold for it, so
 * right after a call `reserved` may be a lease's unused part, never a hold of a call that
 * answered; once the leases are returned (LEASE_IDLE_MS after the last call, or at a
 * graceful stop) it is zero again.
 */
import type { Db } from "@/lib/db/client";
import { poll } from "./poll";

export type HeldMoney = { balanceNanoUsd: bigint; reservedNanoUsd: bigint; leasedNanoUsd: bigint; leases: number; openReservationsNanoUsd: bigint };

export async function heldMoney(db: Db, userId: string): Promise<HeldMoney> {
  const [user, leases, open] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { balanceNanoUsd: true, reservedNanoUsd: true } }),
    db.lease.findMany({ where: { userId }, select: { amountNanoUsd: true } }),
    // Rows with a leaseId are leased streams' checkpoints: their money is in their lease.
    db.reservation.aggregate({ where: { userId, settledAt: null, leaseId: null }, _sum: { amountNanoUsd: true } }),
  ]);
  return {
    balanceNanoUsd: user.balanceNanoUsd,
    reservedNanoUsd: user.reservedNanoUsd,
    leasedNanoUsd: leases.reduce((sum, lease) => sum + lease.amountNanoUsd, 0n),
    leases: leases.length,
    openReservationsNanoUsd: open._sum.amountNanoUsd ?? 0n,
  };
}

/** Polls until the account holds nothing at all: no per-request hold and no lease (every instance returned its leases). */
export function untilNothingHeld(db: Db, userId: string, timeoutMs = 20_000): Promise<HeldMoney> {
  return poll(
    () => heldMoney(db, userId),
    (held) => held.reservedNanoUsd === 0n && held.leases === 0,
    { timeoutMs, intervalMs: 100, what: `account ${userId} to hold no money (${timeoutMs} ms)` },
  );
}
