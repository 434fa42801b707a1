/**
 * An admin's credit or debit to one account, through the ledger: positive amounts are
 * top-ups, negative ones adjustments, each with the admin's reason. The ledger entry,
 * the balance and the audit row (balance before and after) commit together. Billing →
 * "Grant credit" (by email) and Users → "Adjust balance" (by id) both come here.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { isCliActor, recordAuditEvent, type CliActor, type UserActor } from "../audit/audit-log.ts";
import type { Db } from "../db/client.ts";
import { creditInTransaction } from "./ledger.ts";
import { formatNanoUsd, parseSignedUsdToNano } from "../gateway/metering/money.ts";

/** The amount and reason fields of an admin's credit form. */
export const adminCreditFields = {
  usd: z.union([z.string(), z.number()], { error: "Enter an amount in USD" }).transform((value, ctx) => {
    const nano = parseSignedUsdToNano(value);
    if (nano === null || nano === 0n) {
      ctx.addIssue({ code: "custom", message: "Enter an amount in USD, like 10 or -2.50 (not 0)" });
      return z.NEVER;
    }
    return nano;
  }),
  reason: z.string({ error: "A reason is required" }).trim().min(1, "A reason is required").max(200, "Keep the reason under 200 characters"),
};

export type AdminCredit = { usd: bigint; reason: string };

const TX_OPTIONS = { timeout: 20_000, maxWait: 20_000 };

/**
 * Applies the credit and returns the ledger kind it became. `action` names the audit row
 * (default `credit.top_up` / `credit.adjustment`). The kind follows the sign unless
 * `kind` says otherwise (the CLI's `--adjust` makes a positive adjustment).
 */
export async function creditAsAdmin(
  db: Db,
  actor: UserActor | CliActor,
  target: { id: string; email: string },
  input: AdminCredit,
  options: { action?: string; kind?: "top_up" | "adjustment" } = {},
): Promise<"top_up" | "adjustment"> {
  const kind = options.kind ?? (input.usd > 0n ? "top_up" : "adjustment");
  const { action } = options;
  const cli = isCliActor(actor);
  await db.$transaction(async (tx) => {
    await creditInTransaction(tx, {
      userId: target.id,
      kind,
      amountNanoUsd: input.usd,
      idempotencyKey: `${cli ? "cli" : "admin"}:${randomUUID()}`,
      reason: input.reason,
      actorId: cli ? null : actor.id,
    });
    const { balanceNanoUsd } = await tx.user.findUniqueOrThrow({ where: { id: target.id }, select: { balanceNanoUsd: true } });
    await recordAuditEvent(tx, {
      actor,
      action: action ?? `credit.${kind}`,
      targetType: "user",
      targetId: target.id,
      targetLabel: target.email,
      before: { balanceUsd: formatNanoUsd(balanceNanoUsd - input.usd) },
      after: { balanceUsd: formatNanoUsd(balanceNanoUsd), amountUsd: formatNanoUsd(input.usd), reason: input.reason },
    });
  }, TX_OPTIONS);
  return kind;
}
