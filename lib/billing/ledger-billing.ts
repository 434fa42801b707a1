/** The gateway's BillingPort over the ledger, and the sweeper for reservations nobody will settle. */
import type { Db } from "../db/client.ts";
import type { SqliteWriteWorker } from "../db/sqlite-write-worker.ts";
import type { BillingPort } from "../gateway/ports/billing.ts";
import { durationFromEnv, type InstanceIdentity } from "./instance-registry.ts";
import { createLeaseBilling, LEASE_DEFAULTS, type LeaseOptions } from "./lease-billing.ts";
import { createPrismaLeaseStore } from "./lease-store.ts";
import { checkpointReservation, reserve, settle } from "./ledger.ts";
import { formatNanoUsd } from "../gateway/metering/money.ts";
import { recoverOrphanedHolds } from "./orphaned-holds.ts";
import { serializeProvisionalRecord } from "./provisional-record.ts";
import { createWorkerLeaseStore } from "./worker-lease-store.ts";

/**
 * Longer than any request may run (streams included). Holds of dead instances are
 * recovered through their heartbeats well before; this is the last resort.
 */
const RESERVATION_TTL_MS = 30 * 60_000;

/**
 * The ledger as the gateway's BillingPort. `stop` (after the drain at a graceful stop) writes
 * what is queued and returns balance leases; `abandon` imitates a dead process in tests.
 */
/** `limitsChanged`: a key's or its member's limits changed (the key change feed says which keys); leases held for them are given back. */
export type LedgerBilling = BillingPort & {
  stop(): Promise<void>;
  abandon(): Promise<void>;
  stats(): BillingStats;
  limitsChanged(apiKeyIds: readonly string[]): Promise<void>;
};

/** What /api/health shows of billing: counts and sums over this process, nothing about any one account. */
export type BillingStats = {
  /** balance leases on (the default) or per-request holds only */
  leases: boolean;
  /** leases this process holds, and the money in them (held by running calls or free) */
  leasesHeld: number;
  leasedNanoUsd: bigint;
  heldNanoUsd: bigint;
  /** settlements queued for the next group commit */
  queuedSettlements: number;
  /** group commits written since start, and the settlements they carried */
  groupCommitBatches: number;
  groupCommitCalls: number;
  /** where group commits are written (`worker`: SQLite's write worker thread), and how many the worker wrote */
  writtenOn: "worker" | "main";
  offThreadBatches: number;
  /** holds a lease could not serve, taken per request from the database instead */
  perRequestFallbacks: number;
};

const NO_LEASE_STATS: BillingStats = {
  leases: false,
  leasesHeld: 0,
  leasedNanoUsd: 0n,
  heldNanoUsd: 0n,
  queuedSettlements: 0,
  groupCommitBatches: 0,
  groupCommitCalls: 0,
  writtenOn: "main",
  offThreadBatches: 0,
  perRequestFallbacks: 0,
};

/**
 * Holds are taken in the name of `owner`, this process, so another can recover them if it
 * dies. With `leases`, holds come from balance leases and settlements are group-committed
 * (lease-billing.ts); without, each request holds and settles in its own transactions.
 * `sqliteWriter`: the process's SQLite write worker (lib/db/sqlite-write-worker.ts), which
 * then writes the leases and settlement batches off the serving thread; per-request holds
 * stay on Prisma.
 */
export function createLedgerBilling(
  db: Db,
  owner: InstanceIdentity,
  options: { leases?: Partial<Omit<LeaseOptions, "ttlMs">> | false; sqliteWriter?: SqliteWriteWorker | null } = {},
): LedgerBilling {
  const perRequest: BillingPort = {
    reserve: (input) => reserve(db, { ...input, ttlMs: RESERVATION_TTL_MS, owner }),
    async settle(input) {
      return { settled: (await settle(db, { ...input, record: serializeProvisionalRecord(input.record) })).settled };
    },
    async checkpoint(input) {
      await checkpointReservation(db, { reservationId: input.reservationId, costNanoUsd: input.costNanoUsd, record: serializeProvisionalRecord(input.record) });
    },
    async available(userId) {
      const user = await db.user.findUnique({ where: { id: userId }, select: { balanceNanoUsd: true, reservedNanoUsd: true } });
      return user ? user.balanceNanoUsd - user.reservedNanoUsd : 0n;
    },
  };
  if (!options.leases) {
    // Per-request holds read the limits in force at each hold: nothing to give back.
    return { ...perRequest, stop: async () => undefined, abandon: async () => undefined, stats: () => NO_LEASE_STATS, limitsChanged: async () => undefined };
  }
  const onMain = createPrismaLeaseStore(db);
  const store = options.sqliteWriter ? createWorkerLeaseStore(db, options.sqliteWriter, onMain) : onMain;
  const leased = createLeaseBilling(store, owner, perRequest, { ...LEASE_DEFAULTS, ...options.leases, ttlMs: RESERVATION_TTL_MS });
  return {
    ...leased,
    stats() {
      const s = leased.stats();
      return {
        leases: true,
        leasesHeld: s.leases,
        leasedNanoUsd: s.leasedNanoUsd,
        heldNanoUsd: s.heldNanoUsd,
        queuedSettlements: s.queued,
        groupCommitBatches: s.batches,
        groupCommitCalls: s.batchedCalls,
        writtenOn: s.writtenOn,
        offThreadBatches: s.offThreadBatches,
        perRequestFallbacks: s.perRequestFallbacks,
      };
    },
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Balance leases are on unless BILLING_LEASES=off (per-request holds only); any other value
 * than on/off is refused, so a typo does not silently pick a billing mode. LEASE_WINDOW_MS
 * and LEASE_IDLE_MS size and return them.
 */
export function leaseOptionsFromEnv(env: Env = process.env): Partial<Omit<LeaseOptions, "ttlMs">> | false {
  const mode = env.BILLING_LEASES?.trim().toLowerCase() || "on";
  if (mode !== "on" && mode !== "off") throw new Error(`BILLING_LEASES must be on or off, not ${JSON.stringify(env.BILLING_LEASES)}`);
  if (mode === "off") return false;
  return { windowMs: durationFromEnv(env, "LEASE_WINDOW_MS", LEASE_DEFAULTS.windowMs), idleMs: durationFromEnv(env, "LEASE_IDLE_MS", LEASE_DEFAULTS.idleMs) };
}

/** One sweep: settles the holds of dead or restarted instances and expired ones, writes the records they had not written; logs what it did. */
export async function sweepOrphanedHolds(db: Db, staleMs: number): Promise<void> {
  const { released, chargedNanoUsd, byReason, recordsWritten, leases } = await recoverOrphanedHolds(db, { staleMs });
  if (leases.leases > 0)
    console.log(
      `billing: returned ${leases.leases} balance lease(s) of dead instances (${Object.entries(leases.byReason)
        .map(([reason, n]) => `${n} ${reason}`)
        .join(
          ", ",
        )}): $${formatNanoUsd(leases.releasedNanoUsd)} released, $${formatNanoUsd(leases.chargedNanoUsd)} charged for streams checkpointed before the crash`,
    );
  if (recordsWritten > 0) console.log(`activity: wrote ${recordsWritten} record(s) of settled calls whose instance died before writing them`);
  if (released > 0)
    console.log(
      `billing: recovered ${released} orphaned hold(s) (${Object.entries(byReason)
        .map(([reason, n]) => `${n} ${reason}`)
        .join(", ")}), charging $${formatNanoUsd(chargedNanoUsd)} checkpointed before the crash`,
    );
}
