/**
 * Recovery of records lost after their charge: a settlement stores its generation record
 * on the reservation it closes (ledger.ts settle), and the activity writer marks it
 * recorded in the batch that writes the row. A process killed in between leaves a
 * settled, unrecorded reservation; once its owner is gone (instance-registry.ts), this
 * writes the row from the stored record. The ledger is never touched: the charge was
 * made at settlement, and the record carries that same cost.
 */
import type { Db } from "../db/client.ts";
import { generationRowWrites } from "../activity/generation-rows.ts";
import { withStorableText } from "../activity/stored-text.ts";
import { findUnrecordedSettlements, type UnrecordedSettlement } from "./instance-registry.ts";
import { parseProvisionalRecord } from "./provisional-record.ts";

const TX_OPTIONS = { timeout: 20_000, maxWait: 20_000 };

export type RecordOutcome = "written" | "already_written" | "given_up" | "taken";

/**
 * The claim comes first (SQLite takes its write lock before any read): one conditional
 * UPDATE marks the reservation recorded, so of two recoverers only one goes on, and a
 * rollback (a row the database refuses) leaves it unrecorded for the give-up below.
 */
async function claimAndWrite(db: Db, settlement: UnrecordedSettlement, withRecord: boolean): Promise<RecordOutcome> {
  return db.$transaction(async (tx) => {
    const claimed =
      await tx.$executeRaw`UPDATE "Reservation" SET "recordedAt" = ${new Date()}, "provisionalRecord" = NULL WHERE "id" = ${settlement.id} AND "settledAt" IS NOT NULL AND "recordedAt" IS NULL`;
    if (claimed !== 1) return "taken";
    if (!withRecord) return "given_up";
    // A slow owner taken for dead may have written it after all.
    if (await tx.generation.findUnique({ where: { id: settlement.id }, select: { id: true } })) return "already_written";
    const record = settlement.record ? parseProvisionalRecord(settlement.record) : null;
    if (!record) {
      console.error(
        `activity recovery: settled generation ${settlement.id} (user ${settlement.userId}) has no readable stored record; its activity row is lost`,
      );
      return "given_up";
    }
    for (const write of generationRowWrites(tx, [withStorableText(record)])) await write;
    return "written";
  }, TX_OPTIONS);
}

/** Writes one lost record; a row the database refuses is marked recorded with a logged reason, so it is not retried forever. */
export async function recordSettlement(db: Db, settlement: UnrecordedSettlement): Promise<RecordOutcome> {
  try {
    return await claimAndWrite(db, settlement, true);
  } catch (error) {
    console.error(
      `activity recovery: writing generation ${settlement.id} (user ${settlement.userId}) failed, giving it up: ${(error as Error).message.split("\n").at(-1)}`,
    );
    return claimAndWrite(db, settlement, false);
  }
}

/** Writes the records of settled calls whose process died before its activity writer did (a batch of up to 1,000 per call). */
export async function recoverUnrecordedSettlements(db: Db, options: { staleMs: number; now?: Date }): Promise<{ written: number; givenUp: number }> {
  const summary = { written: 0, givenUp: 0 };
  for (const settlement of await findUnrecordedSettlements(db, options)) {
    const outcome = await recordSettlement(db, settlement);
    if (outcome === "written") summary.written++;
    if (outcome === "given_up") summary.givenUp++;
  }
  return summary;
}
