/**
 * An admin's rate-limit override for one account (User.rpmLimit / tpmLimit), replacing
 * the instance default field by field; null goes back to the default. The user's
 * updatedAt moves, so the change feed (lib/changes) makes every instance's key verifier
 * re-read it.
 */
import { z } from "zod";
import { recordAuditEvent, type UserActor } from "../audit/audit-log.ts";
import type { Db } from "../db/client.ts";
import { parseInput, ValidationError } from "../errors/validation-error.ts";
import { perMinuteLimitSchema } from "./rate-limit-settings.ts";

export const accountRateLimitInputSchema = z
  .object({
    email: z.string({ error: "Enter the account's email" }).trim().toLowerCase().min(1, "Enter the account's email"),
    rpm: perMinuteLimitSchema("requests"),
    tpm: perMinuteLimitSchema("tokens"),
  })
  .strict();

export type AccountRateLimitInput = z.input<typeof accountRateLimitInputSchema>;
export type AccountRateLimit = { userId: string; email: string; rpm: number | null; tpm: number | null };

export async function listAccountRateLimits(db: Db): Promise<AccountRateLimit[]> {
  const rows = await db.user.findMany({
    where: { OR: [{ rpmLimit: { not: null } }, { tpmLimit: { not: null } }] },
    select: { id: true, email: true, rpmLimit: true, tpmLimit: true },
    orderBy: { email: "asc" },
  });
  return rows.map((row) => ({ userId: row.id, email: row.email, rpm: row.rpmLimit, tpm: row.tpmLimit }));
}

export async function setAccountRateLimit(db: Db, input: unknown, actor: UserActor): Promise<AccountRateLimit> {
  const { email, rpm, tpm } = parseInput(accountRateLimitInputSchema, input);
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { email }, select: { id: true, rpmLimit: true, tpmLimit: true } });
    if (!before) throw new ValidationError({ email: "No account has this email" });
    await tx.user.update({ where: { id: before.id }, data: { rpmLimit: rpm, tpmLimit: tpm } });
    await recordAuditEvent(tx, {
      actor,
      action: "user.rate_limits.update",
      targetType: "user",
      targetId: before.id,
      targetLabel: email,
      before: { rpm: before.rpmLimit, tpm: before.tpmLimit },
      after: { rpm, tpm },
    });
    return { userId: before.id, email, rpm, tpm };
  });
}
