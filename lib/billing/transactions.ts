/**
 * An account's ledger entries, newest first, a page at a time (cursor = the last entry's
 * id). A charge names the call it paid for: its generation id and the model that served it.
 */
import type { Db } from "../db/client.ts";
import { formatNanoUsd } from "../gateway/metering/money.ts";

export type TransactionDto = {
  id: string;
  kind: string;
  amountUsd: string;
  reason: string | null;
  generationId: string | null;
  /** the model of the call a charge paid for; null when its activity row is gone (retention) or not written yet */
  model: string | null;
  createdAt: string;
};

/** The generation a charge paid for: the column, else the idempotency key `charge:<generation id>`. */
export function generationIdOfEntry(entry: { generationId: string | null; idempotencyKey: string; kind: string }): string | null {
  if (entry.generationId) return entry.generationId;
  return entry.kind === "charge" && entry.idempotencyKey.startsWith("charge:") ? entry.idempotencyKey.slice("charge:".length) : null;
}

export async function listTransactions(db: Db, userId: string, options: { cursor?: string | null; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const rows = await db.ledgerEntry.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  const generationIds = page.map(generationIdOfEntry).filter((id): id is string => id !== null);
  const calls =
    generationIds.length === 0
      ? []
      : await db.generation.findMany({ where: { id: { in: generationIds }, userId }, select: { id: true, modelSlug: true, requestedModel: true } });
  const modelOf = new Map(calls.map((call) => [call.id, call.modelSlug ?? call.requestedModel]));
  return {
    data: page.map((r): TransactionDto => {
      const generationId = generationIdOfEntry(r);
      return {
        id: r.id,
        kind: r.kind,
        amountUsd: formatNanoUsd(r.amountNanoUsd),
        reason: r.reason,
        generationId,
        model: generationId ? (modelOf.get(generationId) ?? null) : null,
        createdAt: r.createdAt.toISOString(),
      };
    }),
    nextCursor: rows.length > limit ? page[page.length - 1].id : null,
  };
}
