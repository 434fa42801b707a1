import "server-only";
/**
 * Server-side revocation of stateless sessions. Each session cookie (a JWT) carries the
 * account's `sessionEpoch` from when it was issued; the user is re-read on every server
 * call anyway (session.ts), and a cookie whose epoch is not the current one is refused.
 * Sign-out and suspension move the epoch on, so every cookie issued before, a copied or
 * stolen one included, stops working at once, on every instance.
 */
import type { Db } from "../db/client.ts";
import { toAccountUser, type AccountUser } from "./user-service.ts";

export async function readSessionEpoch(db: Db, userId: string): Promise<number | null> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { sessionEpoch: true } });
  return row ? row.sessionEpoch : null;
}

/**
 * Ends every session of the account issued under `fromEpoch` (all of them when omitted).
 * Raw SQL so `updatedAt` does not move: that would wake every instance's key cache.
 */
export async function bumpSessionEpoch(db: Pick<Db, "$executeRaw">, userId: string, fromEpoch?: number): Promise<void> {
  if (fromEpoch === undefined) await db.$executeRaw`UPDATE "User" SET "sessionEpoch" = "sessionEpoch" + 1 WHERE "id" = ${userId}`;
  else await db.$executeRaw`UPDATE "User" SET "sessionEpoch" = "sessionEpoch" + 1 WHERE "id" = ${userId} AND "sessionEpoch" = ${fromEpoch}`;
}

/** The account a session cookie names, when it is active and the cookie's epoch is current. */
export async function findSessionUser(db: Db, userId: string, epoch: number): Promise<AccountUser | null> {
  const row = await db.user.findUnique({ where: { id: userId } });
  return row && row.status === "active" && row.sessionEpoch === epoch ? toAccountUser(row) : null;
}
