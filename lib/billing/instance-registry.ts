/**
 * Who holds money. Each gateway process has an instance id (SWITCHYARD_INSTANCE_ID, or
 * hostname:PORT, stable across restarts) and a boot id (random per run); reservations
 * record both. GatewayInstance rows carry each instance's current boot and heartbeat,
 * so any process can tell which open reservations nobody will ever settle: their
 * instance restarted (another boot id), stopped heartbeating, or left no row at all.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Db } from "../db/client.ts";
import type { ReservationOwner } from "./ledger.ts";

export type InstanceIdentity = ReservationOwner;
type Env = Readonly<Record<string, string | undefined>>;

export const INSTANCE_DEFAULTS = { heartbeatMs: 10_000, staleMs: 60_000, sweepMs: 15_000 };
/** Rows of instances gone this long are deleted; their leftover holds count as unknown (dead) owners. */
const FORGET_AFTER_MS = 7 * 86_400_000;

export function durationFromEnv(env: Env, name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Timings of liveness (milliseconds), from INSTANCE_HEARTBEAT_MS, INSTANCE_STALE_MS and RESERVATION_SWEEP_MS. */
export function livenessTimings(env: Env = process.env) {
  return {
    heartbeatMs: durationFromEnv(env, "INSTANCE_HEARTBEAT_MS", INSTANCE_DEFAULTS.heartbeatMs),
    staleMs: durationFromEnv(env, "INSTANCE_STALE_MS", INSTANCE_DEFAULTS.staleMs),
    sweepMs: durationFromEnv(env, "RESERVATION_SWEEP_MS", INSTANCE_DEFAULTS.sweepMs),
  };
}

/** Stable across restarts of the same deployment slot, so a restart recognises its own leftover holds. */
export function resolveInstanceId(env: Env = process.env): string {
  return env.SWITCHYARD_INSTANCE_ID?.trim() || `${os.hostname()}:${env.PORT?.trim() || "3000"}`;
}

/** The start script passes its boot id to the server (SWITCHYARD_BOOT_ID); a server started otherwise makes its own. */
export function resolveIdentity(env: Env = process.env): InstanceIdentity {
  return { instanceId: resolveInstanceId(env), bootId: env.SWITCHYARD_BOOT_ID?.trim() || randomUUID() };
}

/** Makes `identity` the current boot of its instance: every hold of an earlier boot becomes orphaned at once. */
export async function registerBoot(db: Db, identity: InstanceIdentity, now = new Date()): Promise<void> {
  await db.gatewayInstance.upsert({
    where: { id: identity.instanceId },
    create: { id: identity.instanceId, bootId: identity.bootId, startedAt: now, heartbeatAt: now },
    update: { bootId: identity.bootId, startedAt: now, heartbeatAt: now },
  });
}

/**
 * Says this boot is alive. "taken_over" when another process registered the same
 * instance id since (two running instances sharing SWITCHYARD_INSTANCE_ID, which makes
 * each treat the other's holds as orphaned); this boot registers itself again.
 */
export async function heartbeat(db: Db, identity: InstanceIdentity, now = new Date()): Promise<"ok" | "taken_over"> {
  const { count } = await db.gatewayInstance.updateMany({ where: { id: identity.instanceId, bootId: identity.bootId }, data: { heartbeatAt: now } });
  if (count === 1) return "ok";
  const existed = (await db.gatewayInstance.count({ where: { id: identity.instanceId } })) > 0;
  await registerBoot(db, identity, now);
  return existed ? "taken_over" : "ok";
}

/** A stopped instance leaves: what it still holds is orphaned for every sweeper at once. */
export async function retireBoot(db: Db, identity: InstanceIdentity): Promise<void> {
  await db.gatewayInstance.deleteMany({ where: { id: identity.instanceId, bootId: identity.bootId } });
}

export async function forgetLongGoneInstances(db: Db, now = new Date()): Promise<number> {
  return (await db.gatewayInstance.deleteMany({ where: { heartbeatAt: { lt: new Date(now.getTime() - FORGET_AFTER_MS) } } })).count;
}

export type OrphanReason = "restarted" | "stale" | "unknown_instance" | "expired";
export type OrphanedReservation = { id: string; userId: string; amountNanoUsd: bigint; instanceId: string | null; reason: OrphanReason };

/**
 * Open reservations nobody will settle: their owner restarted or went silent for
 * `staleMs`, or they outlived their TTL (the last resort, and the only rule for holds
 * taken before instances were recorded). At most `take`, oldest first.
 */
export async function findOrphanedReservations(db: Db, options: { now?: Date; staleMs: number; take?: number }): Promise<OrphanedReservation[]> {
  const now = options.now ?? new Date();
  const staleBefore = new Date(now.getTime() - options.staleMs);
  const instances = await db.gatewayInstance.findMany();
  const byId = new Map(instances.map((i) => [i.id, i]));
  const rows = await db.reservation.findMany({
    // A leased hold's money is in its lease: it is recovered with the lease (findOrphanedLeases).
    where: { settledAt: null, leaseId: null, OR: ownerGoneConditions(instances, now, staleBefore) },
    select: { id: true, userId: true, amountNanoUsd: true, instanceId: true, bootId: true, expiresAt: true },
    orderBy: { createdAt: "asc" },
    take: options.take ?? 1000,
  });
  return rows.map(({ bootId, expiresAt: _expiresAt, ...row }) => ({
    ...row,
    reason: reasonOf(row.instanceId, bootId, row.instanceId === null ? undefined : byId.get(row.instanceId), staleBefore),
  }));
}

type InstanceRow = { id: string; bootId: string; heartbeatAt: Date };

/** Reservations whose owning boot will never act on them again (or past their TTL): one OR per rule. */
function ownerGoneConditions(instances: InstanceRow[], now: Date, staleBefore: Date) {
  return [
    { expiresAt: { lt: now } },
    { instanceId: { not: null, notIn: instances.map((i) => i.id) } },
    ...instances.map((i) => (i.heartbeatAt < staleBefore ? { instanceId: i.id } : { instanceId: i.id, NOT: { bootId: i.bootId } })),
  ];
}

export type OrphanedLease = { id: string; userId: string; amountNanoUsd: bigint; instanceId: string; reason: OrphanReason };

/**
 * Leases nobody will return: their owner restarted, went silent for `staleMs` or left no
 * row. Also the ids of leases already gone whose checkpointed streams are still open (a
 * process taken for dead that checkpointed after its lease was returned), with amount 0.
 * At most `take` of each.
 */
export async function findOrphanedLeases(db: Db, options: { now?: Date; staleMs: number; take?: number }): Promise<OrphanedLease[]> {
  const now = options.now ?? new Date();
  const staleBefore = new Date(now.getTime() - options.staleMs);
  const instances = await db.gatewayInstance.findMany();
  const byId = new Map(instances.map((i) => [i.id, i]));
  const take = options.take ?? 1000;
  const leases = await db.lease.findMany({
    where: {
      OR: [
        { instanceId: { notIn: instances.map((i) => i.id) } },
        ...instances.map((i) => (i.heartbeatAt < staleBefore ? { instanceId: i.id } : { instanceId: i.id, NOT: { bootId: i.bootId } })),
      ],
    },
    select: { id: true, userId: true, amountNanoUsd: true, instanceId: true, bootId: true },
    orderBy: { createdAt: "asc" },
    take,
  });
  const orphans: OrphanedLease[] = leases.map(({ bootId, ...lease }) => ({
    ...lease,
    reason: reasonOf(lease.instanceId, bootId, byId.get(lease.instanceId), staleBefore),
  }));
  const strays = await db.reservation.findMany({
    where: { settledAt: null, leaseId: { not: null }, OR: ownerGoneConditions(instances, now, staleBefore) },
    select: { leaseId: true, userId: true, instanceId: true, bootId: true },
    distinct: ["leaseId"],
    take,
  });
  const stillLeased = new Set((await db.lease.findMany({ where: { id: { in: strays.map((s) => s.leaseId!) } }, select: { id: true } })).map((l) => l.id));
  for (const stray of strays)
    if (!stillLeased.has(stray.leaseId!))
      orphans.push({
        id: stray.leaseId!,
        userId: stray.userId,
        amountNanoUsd: 0n,
        instanceId: stray.instanceId ?? "",
        reason: reasonOf(stray.instanceId, stray.bootId, stray.instanceId === null ? undefined : byId.get(stray.instanceId), staleBefore),
      });
  return orphans;
}

export type UnrecordedSettlement = { id: string; userId: string; record: string | null };

/**
 * Settled reservations whose generation row was never written (recordedAt null) and whose
 * owning boot is gone, by the same rules as orphaned holds: the record was still queued in
 * that process's activity writer. A live owner's are left to its writer. At most `take`.
 */
export async function findUnrecordedSettlements(db: Db, options: { now?: Date; staleMs: number; take?: number }): Promise<UnrecordedSettlement[]> {
  const now = options.now ?? new Date();
  const instances = await db.gatewayInstance.findMany();
  const rows = await db.reservation.findMany({
    where: { recordedAt: null, settledAt: { not: null }, OR: ownerGoneConditions(instances, now, new Date(now.getTime() - options.staleMs)) },
    select: { id: true, userId: true, provisionalRecord: true },
    orderBy: { createdAt: "asc" },
    take: options.take ?? 1000,
  });
  return rows.map((row) => ({ id: row.id, userId: row.userId, record: row.provisionalRecord }));
}

function reasonOf(instanceId: string | null, bootId: string | null, owner: { bootId: string; heartbeatAt: Date } | undefined, staleBefore: Date): OrphanReason {
  if (instanceId !== null && !owner) return "unknown_instance";
  if (owner && owner.bootId !== bootId) return "restarted";
  if (owner && owner.heartbeatAt < staleBefore) return "stale";
  return "expired";
}
