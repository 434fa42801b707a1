/**
 * Recovery of holds nobody will settle (instance-registry.ts says which). Each is closed
 * exactly as its own request would have settled it: the same conditional UPDATE on the
 * reservation and the same idempotency key (`charge:<generation id>`), so whichever of
 * recovery and a late settlement comes second changes nothing. The charge is the
 * cost its stream had checkpointed (0 without a checkpoint), and the generation record
 * is written in the same transaction as the charge and the release of the hold.
 */
import type { Db } from "../db/client.ts";
import { generationRowWrites } from "../activity/generation-rows.ts";
import { withStorableText } from "../activity/stored-text.ts";
import { findOrphanedReservations, type OrphanReason } from "./instance-registry.ts";
import { chargeAndRelease, closeOpenReservation } from "./ledger.ts";
import { recoverOrphanedLeases, type LeaseRecoverySummary } from "./orphaned-leases.ts";
import { crashedRecord, parseProvisionalRecord } from "./provisional-record.ts";
import { recoverUnrecordedSettlements } from "./unrecorded-settlements.ts";

const TX_OPTIONS = { timeout: 20_000, maxWait: 20_000 };

export type Recovery = { recovered: boolean; chargedNanoUsd: bigint; recorded: boolean };

async function recoverInTransaction(db: Db, reservationId: string, withRecord: boolean): Promise<Recovery> {
  return db.$transaction(async (tx) => {
    // Recorded here: its row is written in this transaction, or it has none to write.
    const reservation = await closeOpenReservation(tx, reservationId, { recorded: true });
    if (!reservation) return { recovered: false, chargedNanoUsd: 0n, recorded: false };
    const cost = reservation.provisionalCostNanoUsd ?? 0n;
    const charged = await chargeAndRelease(tx, reservation, { costNanoUsd: cost, idempotencyKey: `charge:${reservation.id}`, generationId: reservation.id });
    const record = withRecord && reservation.provisionalRecord ? parseProvisionalRecord(reservation.provisionalRecord) : null;
    if (record) for (const write of generationRowWrites(tx, [withStorableText(crashedRecord(record, charged ? cost : 0n))])) await write;
    return { recovered: true, chargedNanoUsd: charged ? cost : 0n, recorded: record !== null };
  }, TX_OPTIONS);
}

/**
 * Settles one orphaned reservation. A record the database refuses (or one already
 * written) must not keep the money locked: the charge and release are then retried
 * without it.
 */
export async function recoverReservation(db: Db, reservationId: string): Promise<Recovery> {
  try {
    return await recoverInTransaction(db, reservationId, true);
  } catch (error) {
    console.error(`billing: recording recovered generation ${reservationId} failed, settling without its record: ${(error as Error).message}`);
    return recoverInTransaction(db, reservationId, false);
  }
}

/**
 * `recordsWritten`: activity rows of calls settled before their process died (unrecorded-settlements.ts);
 * `leases`: the balance leases of dead processes returned (orphaned-leases.ts), with what their streams were charged.
 */
export type RecoverySummary = {
  released: number;
  chargedNanoUsd: bigint;
  byReason: Partial<Record<OrphanReason, number>>;
  recordsWritten: number;
  leases: LeaseRecoverySummary;
};

/**
 * Finds and settles every orphaned reservation (a batch of up to 1,000 per call), then
 * writes the records dead processes had settled but not yet written.
 */
export async function recoverOrphanedHolds(db: Db, options: { staleMs: number; now?: Date }): Promise<RecoverySummary> {
  const summary = await settleOrphanedHolds(db, options);
  // Leases before records: a lease's checkpointed streams are recorded in its recovery.
  const leases = await recoverOrphanedLeases(db, options);
  return { ...summary, leases, recordsWritten: (await recoverUnrecordedSettlements(db, options)).written };
}

async function settleOrphanedHolds(db: Db, options: { staleMs: number; now?: Date }): Promise<Omit<RecoverySummary, "recordsWritten" | "leases">> {
  const orphans = await findOrphanedReservations(db, options);
  const summary = { released: 0, chargedNanoUsd: 0n, byReason: {} as RecoverySummary["byReason"] };
  for (const orphan of orphans) {
    const { recovered, chargedNanoUsd } = await recoverReservation(db, orphan.id);
    if (!recovered) continue;
    summary.released++;
    summary.chargedNanoUsd += chargedNanoUsd;
    summary.byReason[orphan.reason] = (summary.byReason[orphan.reason] ?? 0) + 1;
  }
  return summary;
}
