/**
 * Recovery of leases nobody will return (instance-registry.ts findOrphanedLeases says which).
 * In one transaction: the lease row is deleted (the step that makes recovery and the owner's
 * own settlements exclusive: a batch that finds its lease gone charges the balance only);
 * its checkpointed streams are closed and charged their last checkpoint under their own
 * idempotency keys (`charge:<generation id>`), with their records; and the whole leased
 * amount leaves the account's and key's held money. Calls held from the lease that never
 * checkpointed and never settled had not answered: they cost nothing and leave no row.
 */
import type { Db } from "../db/client.ts";
import { generationRowWrites } from "../activity/generation-rows.ts";
import { withStorableText } from "../activity/stored-text.ts";
import type { GenerationRecord } from "../gateway/ports/gateway-deps.ts";
import { findOrphanedLeases, type OrphanReason } from "./instance-registry.ts";
import { insertEntry, moveKeyMoney, moveUserMoney, TX_OPTIONS } from "./ledger.ts";
import { crashedRecord, parseProvisionalRecord } from "./provisional-record.ts";

export type LeaseRecovery = { recovered: boolean; releasedNanoUsd: bigint; chargedNanoUsd: bigint; streams: number };

type ClosedStream = {
  id: string;
  userId: string;
  apiKeyId: string | null;
  provisionalCostNanoUsd: bigint | number | string | null;
  provisionalRecord: string | null;
};
type DeletedLease = { userId: string; apiKeyId: string | null; amountNanoUsd: bigint | number | string };

async function recoverInTransaction(db: Db, leaseId: string, withRecords: boolean): Promise<LeaseRecovery> {
  return db.$transaction(async (tx) => {
    const now = new Date();
    const [lease] = await tx.$queryRaw<DeletedLease[]>`DELETE FROM "Lease" WHERE "id" = ${leaseId} RETURNING "userId", "apiKeyId", "amountNanoUsd"`;
    const streams = await tx.$queryRaw<ClosedStream[]>`
      UPDATE "Reservation" SET "settledAt" = ${now}, "recordedAt" = ${now}
      WHERE "leaseId" = ${leaseId} AND "settledAt" IS NULL
      RETURNING "id", "userId", "apiKeyId", "provisionalCostNanoUsd", "provisionalRecord"`;
    if (!lease && streams.length === 0) return { recovered: false, releasedNanoUsd: 0n, chargedNanoUsd: 0n, streams: 0 };
    let chargedNanoUsd = 0n;
    const records: GenerationRecord[] = [];
    for (const stream of streams) {
      const cost = BigInt(stream.provisionalCostNanoUsd ?? 0);
      const charged =
        cost > 0n &&
        (await insertEntry(tx, {
          userId: stream.userId,
          kind: "charge",
          amountNanoUsd: -cost,
          idempotencyKey: `charge:${stream.id}`,
          generationId: stream.id,
        }));
      if (charged) chargedNanoUsd += cost;
      const record = withRecords && stream.provisionalRecord ? parseProvisionalRecord(stream.provisionalRecord) : null;
      if (record) records.push(withStorableText(crashedRecord(record, charged ? cost : 0n)));
    }
    if (records.length > 0) for (const write of generationRowWrites(tx, records)) await write;
    const userId = lease?.userId ?? streams[0].userId;
    const apiKeyId = lease ? lease.apiKeyId : streams[0].apiKeyId;
    const releasedNanoUsd = lease ? BigInt(lease.amountNanoUsd) : 0n;
    if (apiKeyId) await moveKeyMoney(tx, apiKeyId, { releasedNanoUsd, spentNanoUsd: chargedNanoUsd });
    await moveUserMoney(tx, userId, { releasedNanoUsd, spentNanoUsd: chargedNanoUsd });
    return { recovered: true, releasedNanoUsd, chargedNanoUsd, streams: streams.length };
  }, TX_OPTIONS);
}

/** Returns one orphaned lease. Records the database refuses must not keep the money locked: it is then returned without them. */
export async function recoverLease(db: Db, leaseId: string): Promise<LeaseRecovery> {
  try {
    return await recoverInTransaction(db, leaseId, true);
  } catch (error) {
    console.error(`billing: recording the streams of recovered lease ${leaseId} failed, returning it without their records: ${(error as Error).message}`);
    return recoverInTransaction(db, leaseId, false);
  }
}

export type LeaseRecoverySummary = { leases: number; releasedNanoUsd: bigint; chargedNanoUsd: bigint; byReason: Partial<Record<OrphanReason, number>> };

/** Returns every orphaned lease (a batch of up to 1,000 per call). */
export async function recoverOrphanedLeases(db: Db, options: { staleMs: number; now?: Date }): Promise<LeaseRecoverySummary> {
  const summary: LeaseRecoverySummary = { leases: 0, releasedNanoUsd: 0n, chargedNanoUsd: 0n, byReason: {} };
  for (const orphan of await findOrphanedLeases(db, options)) {
    const recovery = await recoverLease(db, orphan.id);
    if (!recovery.recovered) continue;
    summary.leases++;
    summary.releasedNanoUsd += recovery.releasedNanoUsd;
    summary.chargedNanoUsd += recovery.chargedNanoUsd;
    summary.byReason[orphan.reason] = (summary.byReason[orphan.reason] ?? 0) + 1;
  }
  return summary;
}
