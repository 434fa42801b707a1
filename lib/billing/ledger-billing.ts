/** The gateway's BillingPort over the ledger, and the sweeper for reservations nobody will settle. */
import type { Db } from "../db/client.ts";
import type { BillingPort } from "../gateway/billing-port.ts";
import type { InstanceIdentity } from "./instance-registry.ts";
import { checkpointReservation, reserve, settle } from "./ledger.ts";
import { formatNanoUsd } from "./money.ts";
import { recoverOrphanedHolds } from "./orphaned-holds.ts";
import { serializeProvisionalRecord } from "./provisional-record.ts";

/**
 * Longer than any request may run (streams included). Holds of dead instances are
 * recovered through their heartbeats well before; this is the last resort.
 */
const RESERVATION_TTL_MS = 30 * 60_000;

/** Holds are taken in the name of `owner`, this process, so another can recover them if it dies. */
export function createLedgerBilling(db: Db, owner: InstanceIdentity): BillingPort {
  return {
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
}

/** One sweep: settles the holds of dead or restarted instances and expired ones, writes the records they had not written; logs what it did. */
export async function sweepOrphanedHolds(db: Db, staleMs: number): Promise<void> {
  const { released, chargedNanoUsd, byReason, recordsWritten } = await recoverOrphanedHolds(db, { staleMs });
  if (recordsWritten > 0) console.log(`activity: wrote ${recordsWritten} record(s) of settled calls whose instance died before writing them`);
  if (released > 0) console.log(`billing: recovered ${released} orphaned hold(s) (${Object.entries(byReason).map(([reason, n]) => `${n} ${reason}`).join(", ")}), charging $${formatNanoUsd(chargedNanoUsd)} checkpointed before the crash`);
}
