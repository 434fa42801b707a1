/**
 * The statements that store generation records: rows, attempts, opted-in bodies and
 * the rollups, which move with the rows so charts and raw rows never disagree. The
 * batched writer runs them as one transaction; crash recovery inside its ledger
 * transaction (lib/billing/orphaned-holds.ts), so a recovered charge and its record
 * commit together.
 */
import type { Db } from "../db/client.ts";
import type { GenerationRecord } from "../gateway/ports/gateway-deps.ts";
import { rollupUpserts } from "./usage-rollups.ts";

type ActivityTables = Pick<Db, "generation" | "generationAttempt" | "generationContent" | "usageRollup" | "usageDailyRollup">;

export function generationRowWrites(db: ActivityTables, batch: GenerationRecord[]) {
  return [
    db.generation.createMany({ data: batch.map(({ attempts: _attempts, content: _content, ...row }) => row) }),
    db.generationAttempt.createMany({ data: batch.flatMap((g) => g.attempts.map((a) => ({ ...a, generationId: g.id }))) }),
    db.generationContent.createMany({ data: batch.flatMap((g) => (g.content ? [{ ...g.content, generationId: g.id, createdAt: g.createdAt }] : [])) }),
    ...rollupUpserts(db, batch),
  ];
}
