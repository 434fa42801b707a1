/**
 * Balance leases: the BillingPort served from money this process holds in memory.
 *
 * For each account and key it serves, the process takes a lease (lease-store.ts): a slice of
 * what the account and the key can still spend, counted in their reservedNanoUsd like any
 * hold, so other instances and per-request holds never see it as available. Holds are then
 * taken from the lease in memory (no database call before the upstream), and settlements are
 * group-committed (group-commit.ts): one transaction writes the charges of every call that
 * settled meanwhile, and each caller resumes once its charge is durable.
 *
 * Sizing: a lease is topped up to the holds taken in the last one or two windows
 * (LEASE_WINDOW_MS), at least a few of the hold asked for, and never more than a quarter of
 * what the account and key can still lend, so other instances keep most of the balance; it
 * is shrunk when traffic falls and returned when idle (LEASE_IDLE_MS) or at a graceful stop.
 * Concurrent requests that find the lease short wait for one top-up instead of each taking
 * one. A request the lease cannot serve (a small balance, a large hold) gives the lease's
 * free money back and takes a per-request hold from the database, so a refusal is as exact
 * as without leases for money this process holds.
 *
 * Invariants (tested in tests/integration/balance-leases.test.ts): holds taken from a lease
 * never exceed it, and a charge leaves the lease and the balance in the same transaction, so
 * `balance - reserved >= 0` keeps meaning "no instance can overspend"; every call is charged
 * once, under `charge:<generation id>`; a leased stream's checkpoints live on its own
 * Reservation row (leaseId set), which crash recovery charges when it returns the lease.
 */
import { randomUUID } from "node:crypto";
import type { BillingPort } from "../gateway/ports/billing.ts";
import { createGroupCommit } from "./group-commit.ts";
import type { ReservationOwner } from "./ledger.ts";
import { LeaseGone, type LeasedSettlement, type LeaseRef, type LeaseStore } from "./lease-store.ts";
import { serializeProvisionalRecord } from "./provisional-record.ts";

export type LeaseOptions = {
  /** leases are sized to the holds taken in the last one to two windows (LEASE_WINDOW_MS, default 5 s) */
  windowMs: number;
  /** a lease unused this long is returned (LEASE_IDLE_MS, default 10 s) */
  idleMs: number;
  /** how often leases are shrunk or returned */
  tickMs: number;
  /** the hold a lease is sized for, at least: this many times the hold that asked */
  minHolds: number;
  /** a lease takes at most 1/shareDivisor of what the account and key can lend */
  shareDivisor: number;
  /** rows of leased reservations expire (as any hold) after this */
  ttlMs: number;
};

export const LEASE_DEFAULTS: Omit<LeaseOptions, "ttlMs"> = { windowMs: 5_000, idleMs: 10_000, tickMs: 1_000, minHolds: 4, shareDivisor: 4 };

type LeaseState = {
  key: string;
  ref: LeaseRef;
  /** the row exists (false until the first top-up, and again once returned) */
  created: boolean;
  /** recovery returned it under us: no more holds from it */
  gone: boolean;
  /** the lease's amount in the database, minus debits still queued for the next batch */
  amount: bigint;
  /** holds of running requests */
  held: bigint;
  /** settlements queued, not yet committed */
  queued: number;
  /** the one database operation on this lease at a time (top-up, shrink, return) */
  busy: Promise<void> | null;
  demand: { windowStart: number; now: bigint; before: bigint };
  lastUsedAt: number;
};

type LeasedHold = { lease: LeaseState; amountNanoUsd: bigint; heldAt: Date; checkpoint: Promise<unknown> | null };

type SettleOutcome = { settled: boolean; charged: boolean; leaseOpen: boolean };

export type LeaseBilling = BillingPort & {
  /** returns every lease after writing queued settlements (a graceful stop, after the drain) */
  stop(): Promise<void>;
  /** as if the process died (tests): nothing more is written, queued settlements are dropped */
  abandon(): Promise<void>;
  /** what this process holds in memory, for tests and health */
  stats(): LeaseStats;
  /**
   * A key's limits (or its member's) changed: gives back the free money of its leases, so the
   * next hold tops up under the new limits (or falls back to a per-request hold) instead of
   * spending money leased under the old ones
   */
  limitsChanged(apiKeyIds: readonly string[]): Promise<void>;
};

/** Figures of this process since it started (for tests and /api/health): counts and sums only. */
export type LeaseStats = {
  /** leases this process holds (rows in the database) */
  leases: number;
  /** the money in them, and the part held by running calls */
  leasedNanoUsd: bigint;
  heldNanoUsd: bigint;
  /** settlements waiting for the next group commit */
  queued: number;
  /** group commits written, and the settlements they carried */
  batches: number;
  batchedCalls: number;
  /** where group commits are written (SQLite: the write worker thread, unless switched off), and how many the worker wrote */
  writtenOn: "worker" | "main";
  offThreadBatches: number;
  /** holds a lease could not serve, taken per request from the database instead */
  perRequestFallbacks: number;
};

const max = (a: bigint, b: bigint) => (a > b ? a : b);

export function createLeaseBilling(store: LeaseStore, owner: ReservationOwner, perRequest: BillingPort, options: LeaseOptions): LeaseBilling {
  const leases = new Map<string, LeaseState>();
  const holds = new Map<string, LeasedHold>();
  let stopping = false;
  let dead = false;
  const counts = { batches: 0, batchedCalls: 0, perRequestFallbacks: 0 };

  const commits = createGroupCommit<LeasedSettlement, SettleOutcome>(async (batch) => {
    const outcome = await store.settleBatch(owner, batch);
    counts.batches++;
    counts.batchedCalls += batch.length;
    return batch.map((s) => ({
      settled: outcome.settled.has(s.reservationId),
      charged: outcome.charged.has(s.reservationId),
      leaseOpen: outcome.openLeases.has(s.lease.id),
    }));
  });

  function leaseFor(userId: string, apiKeyId: string | null, membershipId: string | null): LeaseState {
    // A key's member never changes, so the key alone tells leases apart.
    const key = `${userId}\u0000${apiKeyId ?? ""}`;
    let lease = leases.get(key);
    if (!lease) {
      lease = {
        key,
        ref: { id: `lease_${randomUUID()}`, userId, apiKeyId, membershipId },
        created: false,
        gone: false,
        amount: 0n,
        held: 0n,
        queued: 0,
        busy: null,
        demand: { windowStart: Date.now(), now: 0n, before: 0n },
        lastUsedAt: Date.now(),
      };
      leases.set(key, lease);
      startTicking();
    }
    return lease;
  }

  function markGone(lease: LeaseState): void {
    lease.gone = true;
    if (leases.get(lease.key) === lease) leases.delete(lease.key);
  }

  function rollDemand(lease: LeaseState, now: number): void {
    const elapsed = now - lease.demand.windowStart;
    if (elapsed < options.windowMs) return;
    lease.demand.before = elapsed < 2 * options.windowMs ? lease.demand.now : 0n;
    lease.demand.now = 0n;
    lease.demand.windowStart = now;
  }

  const demandOf = (lease: LeaseState) => lease.demand.now + lease.demand.before;

  /** One database operation per lease at a time; the rest queue behind it. */
  function exclusive<R>(lease: LeaseState, operation: () => Promise<R>): Promise<R> {
    const run = (lease.busy ?? Promise.resolve()).then(operation);
    const tracked: Promise<void> = run.then(
      () => undefined,
      () => undefined,
    );
    lease.busy = tracked;
    void tracked.then(() => {
      if (lease.busy === tracked) lease.busy = null;
    });
    return run;
  }

  function takeHold(lease: LeaseState, id: string, amount: bigint): boolean {
    if (lease.gone || !lease.created || lease.amount - lease.held < amount) return false;
    lease.held += amount;
    lease.lastUsedAt = Date.now();
    holds.set(id, { lease, amountNanoUsd: amount, heldAt: new Date(), checkpoint: null });
    return true;
  }

  /** Tops the lease up so it covers `amount` more; false when the account or key cannot lend that much (or the lease was lost). */
  async function grow(lease: LeaseState, amount: bigint): Promise<boolean> {
    if (dead || stopping || lease.gone) return false;
    const free = lease.amount - lease.held;
    if (free >= amount) return true;
    const wanted = max(demandOf(lease), amount * BigInt(options.minHolds));
    let topUp = max(wanted - free, amount - free);
    const cap = (await store.leasable(lease.ref.userId, lease.ref.apiKeyId, lease.ref.membershipId)) / BigInt(options.shareDivisor);
    if (topUp > cap) topUp = cap;
    if (free + topUp < amount || topUp <= 0n) return false;
    try {
      const taken = await store.grow(lease.ref, { amountNanoUsd: topUp, create: !lease.created, owner });
      if (!taken.ok) return false;
    } catch (error) {
      if (!(error instanceof LeaseGone)) throw error;
      markGone(lease);
      return false;
    }
    lease.created = true;
    lease.amount += topUp;
    return true;
  }

  /** Gives `amount` of the lease's free money back; with `close`, deletes the row once nothing is held or queued. */
  async function giveBack(lease: LeaseState, amount: bigint, close: boolean): Promise<void> {
    if (!lease.created || lease.gone || dead) return;
    const free = lease.amount - lease.held;
    const back = amount < free ? amount : free;
    const closing = close && back === lease.amount && lease.held === 0n && lease.queued === 0;
    if (back <= 0n && !closing) return;
    // Out of memory before the database call: no hold may be taken from money on its way back.
    lease.amount -= back;
    try {
      const outcome = await store.shrink(lease.ref, back, closing);
      if (outcome === "gone") markGone(lease);
      if (outcome === "closed") {
        lease.created = false;
        // A fresh id for the next top-up: the closed row's id stays closed.
        lease.ref = { ...lease.ref, id: `lease_${randomUUID()}` };
      }
    } catch (error) {
      lease.amount += back;
      throw error;
    }
  }

  async function reserveFromLease(lease: LeaseState, input: Parameters<BillingPort["reserve"]>[0]): Promise<boolean> {
    rollDemand(lease, Date.now());
    lease.demand.now += input.amountNanoUsd;
    // A few rounds at most: a top-up under way serves everyone waiting for it (coalesced),
    // and a lease drained again by others before this request's turn gets one more top-up.
    for (let round = 0; round < 4; round++) {
      if (takeHold(lease, input.id, input.amountNanoUsd)) return true;
      if (lease.gone) return false;
      if (lease.busy) {
        await lease.busy;
        continue;
      }
      if (!(await exclusive(lease, () => grow(lease, input.amountNanoUsd)))) break;
    }
    return takeHold(lease, input.id, input.amountNanoUsd);
  }

  /**
   * A hold the lease cannot serve: the lease's free money goes back first, so the database
   * sees all the money this process is not using, and no top-up runs between that and the
   * per-request hold (both in the lease's one-at-a-time slot). Settlements that freed room
   * meanwhile serve it from the lease after all.
   */
  function reservePerRequest(lease: LeaseState, input: Parameters<BillingPort["reserve"]>[0]) {
    return exclusive(lease, async () => {
      if (takeHold(lease, input.id, input.amountNanoUsd)) return { ok: true } as const;
      await giveBack(lease, lease.amount, false).catch((error: Error) => console.error(`billing: giving back lease ${lease.ref.id} failed: ${error.message}`));
      counts.perRequestFallbacks++;
      return perRequest.reserve(input);
    });
  }

  async function settleLeased(hold: LeasedHold, input: Parameters<BillingPort["settle"]>[0]): Promise<{ settled: boolean }> {
    // A checkpoint still being written must land before the settlement that closes its row.
    await hold.checkpoint?.catch(() => undefined);
    const { lease } = hold;
    lease.held -= hold.amountNanoUsd;
    // Synchronously with releasing the hold, so no other hold is taken from this cost.
    const cost = input.costNanoUsd;
    const debit = cost <= lease.amount ? cost : max(lease.amount, 0n);
    lease.amount -= debit;
    lease.queued++;
    let outcome: SettleOutcome;
    try {
      outcome = await commits.submit({
        reservationId: input.reservationId,
        lease: lease.ref,
        holdNanoUsd: hold.amountNanoUsd,
        heldAt: hold.heldAt,
        ttlMs: options.ttlMs,
        costNanoUsd: cost,
        debitNanoUsd: debit,
        idempotencyKey: input.idempotencyKey,
        generationId: input.generationId,
        record: serializeProvisionalRecord(input.record),
      });
    } catch (error) {
      lease.amount += debit;
      throw error;
    } finally {
      lease.queued--;
    }
    if (!outcome.leaseOpen) markGone(lease);
    else if (!outcome.charged) lease.amount += debit;
    return { settled: outcome.settled };
  }

  async function tick(): Promise<void> {
    const now = Date.now();
    for (const lease of leases.values()) {
      if (lease.busy || !lease.created || lease.gone) continue;
      rollDemand(lease, now);
      const free = lease.amount - lease.held;
      if (now - lease.lastUsedAt >= options.idleMs) await exclusive(lease, () => giveBack(lease, free, true));
      // Traffic fell: keep what the recent holds need, return the rest.
      else if (free > 2n * demandOf(lease)) await exclusive(lease, () => giveBack(lease, free - demandOf(lease), false));
    }
    for (const [key, lease] of leases)
      if (!lease.created && lease.held === 0n && lease.queued === 0 && !lease.busy && now - lease.lastUsedAt >= options.idleMs) leases.delete(key);
  }

  // The tick runs only while this process has leases: an idle server (every lease returned
  // after LEASE_IDLE_MS) does not wake for them.
  let ticking = false;
  let timer: NodeJS.Timeout | undefined;
  function startTicking(): void {
    if (timer || stopping || dead) return;
    timer = setInterval(() => {
      if (ticking) return;
      ticking = true;
      tick()
        .catch((error: Error) => console.error(`billing: adjusting balance leases failed: ${error.message}`))
        .finally(() => {
          ticking = false;
          if (leases.size === 0) {
            clearInterval(timer);
            timer = undefined;
          }
        });
    }, options.tickMs);
    timer.unref();
  }

  const settleOps = () => Promise.all([...leases.values()].map((lease) => lease.busy));

  return {
    async reserve(input) {
      if (stopping || dead) return perRequest.reserve(input);
      const lease = leaseFor(input.userId, input.apiKeyId, input.membershipId ?? null);
      if (await reserveFromLease(lease, input)) return { ok: true };
      return reservePerRequest(lease, input);
    },
    async settle(input) {
      const hold = holds.get(input.reservationId);
      if (!hold) return perRequest.settle(input);
      holds.delete(input.reservationId);
      return settleLeased(hold, input);
    },
    async checkpoint(input) {
      const hold = holds.get(input.reservationId);
      if (!hold) return perRequest.checkpoint(input);
      const writing = store.checkpoint({
        reservationId: input.reservationId,
        lease: hold.lease.ref,
        holdNanoUsd: hold.amountNanoUsd,
        heldAt: hold.heldAt,
        ttlMs: options.ttlMs,
        owner,
        costNanoUsd: input.costNanoUsd,
        record: serializeProvisionalRecord(input.record),
      });
      hold.checkpoint = writing;
      await writing;
    },
    available: (userId) => perRequest.available(userId),
    async limitsChanged(apiKeyIds) {
      const changed = new Set(apiKeyIds);
      const affected = [...leases.values()].filter((lease) => lease.ref.apiKeyId !== null && changed.has(lease.ref.apiKeyId));
      await Promise.all(affected.map((lease) => exclusive(lease, () => giveBack(lease, lease.amount, false))));
    },
    async stop() {
      stopping = true;
      clearInterval(timer);
      await commits.flush();
      await settleOps();
      for (const lease of leases.values()) await exclusive(lease, () => giveBack(lease, lease.amount, true));
    },
    async abandon() {
      dead = true;
      clearInterval(timer);
      await commits.abandon(new Error("this process died"));
      await settleOps();
    },
    stats() {
      let held = 0;
      let leasedNanoUsd = 0n;
      let heldNanoUsd = 0n;
      for (const lease of leases.values()) {
        if (lease.created && !lease.gone) held++;
        leasedNanoUsd += lease.amount;
        heldNanoUsd += lease.held;
      }
      const written = store.stats();
      return {
        leases: held,
        leasedNanoUsd,
        heldNanoUsd,
        queued: commits.queued,
        ...counts,
        writtenOn: written.via,
        offThreadBatches: written.offThreadBatches,
      };
    },
  };
}
