/**
 * Charges with no activity row: the loss "charge = recorded cost" must never show. A
 * charge's row is written within a flush interval of it, or by recovery once its process
 * is known dead, so only charges older than `minAgeMs` count, and none older than the
 * activity retention (those rows are purged on purpose).
 */
import type { Db } from "../db/client.ts";

export type ChargeWithoutRecord = { generationId: string; userId: string; chargedNanoUsd: bigint; chargedAt: Date };

/** Long enough for a dead instance to be noticed (INSTANCE_STALE_MS) and swept. */
export const UNRECORDED_CHARGE_MIN_AGE_MS = 5 * 60_000;

export async function findChargesWithoutRecord(
  db: Db,
  options: { now?: Date; minAgeMs?: number; retentionDays: number; take?: number },
): Promise<ChargeWithoutRecord[]> {
  const now = options.now ?? new Date();
  const youngest = new Date(now.getTime() - (options.minAgeMs ?? UNRECORDED_CHARGE_MIN_AGE_MS));
  const oldest = new Date(now.getTime() - options.retentionDays * 86_400_000);
  // Raw for the anti-join, which Prisma cannot express without a relation; charges are
  // inserted with raw SQL too (ledger.ts insertEntry), so the dates compare as stored.
  const rows = await db.$queryRaw<{ generationId: string; userId: string; amountNanoUsd: bigint | number; createdAt: Date | string }[]>`
    SELECT l."generationId", l."userId", l."amountNanoUsd", l."createdAt"
    FROM "LedgerEntry" l LEFT JOIN "Generation" g ON g."id" = l."generationId"
    WHERE l."kind" = 'charge' AND l."generationId" IS NOT NULL AND g."id" IS NULL
      AND l."createdAt" < ${youngest} AND l."createdAt" >= ${oldest}
    ORDER BY l."createdAt" ASC
    LIMIT ${options.take ?? 1000}`;
  return rows.map((row) => ({
    generationId: row.generationId,
    userId: row.userId,
    chargedNanoUsd: -BigInt(row.amountNanoUsd),
    chargedAt: new Date(row.createdAt),
  }));
}
