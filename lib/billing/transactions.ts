/** An account's ledger entries, newest first, a page at a time (cursor = the last entry's id). */
import type { Db } from "../db/client.ts";
import { formatNanoUsd } from "./money.ts";

export type TransactionDto = { id: string; kind: string; amountUsd: string; reason: string | null; generationId: string | null; createdAt: string };

export async function listTransactions(db: Db, userId: string, options: { cursor?: string | null; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const rows = await db.ledgerEntry.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  return {
    data: page.map((r): TransactionDto => ({ id: r.id, kind: r.kind, amountUsd: formatNanoUsd(r.amountNanoUsd), reason: r.reason, generationId: r.generationId, createdAt: r.createdAt.toISOString() })),
    nextCursor: rows.length > limit ? page[page.length - 1].id : null,
  };
}
