import type { Db } from "../db/client.ts";

/** Keys the user can still use or manage (not deleted; the playground's own keys are not theirs). */
export function countApiKeys(db: Db, userId: string): Promise<number> {
  return db.apiKey.count({ where: { userId, deletedAt: null, purpose: null } });
}
