/** The gateway's BillingPort over the ledger, and the sweeper for reservations of dead instances. */
import type { Db } from "../db/client.ts";
import type { BillingPort } from "../gateway/billing-port.ts";
import { releaseExpiredReservations, reserve, settle } from "./ledger.ts";

/** Longer than any request may run (streams included), so only dead instances' holds expire. */
const RESERVATION_TTL_MS = 30 * 60_000;

export function createLedgerBilling(db: Db): BillingPort & { startSweeper(intervalMs?: number): void } {
  return {
    reserve: (input) => reserve(db, { ...input, ttlMs: RESERVATION_TTL_MS }),
    async settle(input) {
      await settle(db, input);
    },
    async available(userId) {
      const user = await db.user.findUnique({ where: { id: userId }, select: { balanceNanoUsd: true, reservedNanoUsd: true } });
      return user ? user.balanceNanoUsd - user.reservedNanoUsd : 0n;
    },
    startSweeper(intervalMs = 60_000) {
      const timer = setInterval(() => {
        releaseExpiredReservations(db).catch((error: Error) => console.error(`billing: sweeping reservations failed: ${error.message}`));
      }, intervalMs);
      timer.unref();
    },
  };
}
