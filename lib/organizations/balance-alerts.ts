/**
 * Balance alerts: an organization's admin sets a threshold (and optionally a webhook URL); when
 * the balance falls below it the console shows a notice on the organization's pages and the
 * webhook gets one POST. The alert re-arms once the balance is back at or above the threshold,
 * so each crossing is told once.
 *
 * A loop on every instance checks (`checkBalanceAlerts`, BALANCE_ALERT_CHECK_MS); the
 * conditional UPDATE that marks a crossing (`… WHERE balanceAlertTrippedAt IS NULL`) is what
 * makes one instance, not each, send the webhook. The ledger balance is compared, not
 * balance − reserved: leases make `reserved` rise and fall with traffic, which would flap.
 *
 * The webhook URL is checked like a provider's base URL (url-policy.ts): http(s), no
 * credentials, and unless ALLOW_PRIVATE_UPSTREAMS=true a public address, at save time and
 * again before each send (a name may resolve elsewhere later). Redirects are not followed.
 */
import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "../audit/audit-log.ts";
import type { Db } from "../db/client.ts";
import { parseInput, ValidationError } from "../errors/validation-error.ts";
import { formatNanoUsd, parseUsdToNano } from "../gateway/metering/money.ts";
import { checkUpstreamUrl, type HostResolver } from "../provider-config/url-policy.ts";
import { lockOrganization } from "./organization-service.ts";

export type WebhookPolicy = { allowPrivate: boolean; resolve: HostResolver };

const alertInputSchema = z.object({
  thresholdUsd: z.union([z.string(), z.number(), z.null()], { error: "Enter an amount in USD, or leave it empty for no alert" }).transform((value, ctx) => {
    if (value === null || (typeof value === "string" && value.trim() === "")) return null;
    const nano = parseUsdToNano(value);
    if (nano === null) {
      ctx.addIssue({ code: "custom", message: "Enter an amount in USD of 0 or more, like 10 or 2.50" });
      return z.NEVER;
    }
    return nano;
  }),
  webhookUrl: z
    .string()
    .trim()
    .max(2_000, "The webhook URL is too long")
    .nullish()
    .transform((v) => v || null),
});

export type BalanceAlertView = { thresholdNanoUsd: bigint | null; webhookUrl: string | null; trippedAt: Date | null };

export async function readBalanceAlert(db: Db, organizationId: string): Promise<BalanceAlertView> {
  const row = await db.organization.findUnique({ where: { accountId: organizationId } });
  return { thresholdNanoUsd: row?.balanceAlertNanoUsd ?? null, webhookUrl: row?.balanceAlertWebhookUrl ?? null, trippedAt: row?.balanceAlertTrippedAt ?? null };
}

/** Sets (or, with an empty threshold, removes) the alert; a new threshold re-arms it. */
export async function setBalanceAlert(db: Db, actor: AuditActor, organizationId: string, input: unknown, policy: WebhookPolicy): Promise<BalanceAlertView> {
  const { thresholdUsd, webhookUrl } = parseInput(alertInputSchema, input);
  if (webhookUrl) {
    const check = await checkUpstreamUrl(webhookUrl, policy);
    if (!check.ok) throw new ValidationError({ webhookUrl: check.message.replace("The base URL", "The webhook URL").replace("A base URL", "A webhook URL") });
  }
  return db.$transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const before = await tx.organization.findUniqueOrThrow({ where: { accountId: organizationId } });
    const after = await tx.organization.update({
      where: { accountId: organizationId },
      data: { balanceAlertNanoUsd: thresholdUsd, balanceAlertWebhookUrl: webhookUrl, balanceAlertTrippedAt: null },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "organization.balance_alert",
      targetType: "organization",
      targetId: organizationId,
      before: {
        thresholdUsd: before.balanceAlertNanoUsd === null ? null : formatNanoUsd(before.balanceAlertNanoUsd),
        webhookUrl: before.balanceAlertWebhookUrl,
      },
      after: { thresholdUsd: thresholdUsd === null ? null : formatNanoUsd(thresholdUsd), webhookUrl },
    });
    return { thresholdNanoUsd: after.balanceAlertNanoUsd, webhookUrl: after.balanceAlertWebhookUrl, trippedAt: null };
  });
}

/** What the webhook receives (JSON). */
export type BalanceAlertEvent = {
  type: "balance.below_threshold";
  organization: { id: string; name: string };
  balance_usd: string;
  threshold_usd: string;
  at: string;
};

export type AlertSender = (url: string, event: BalanceAlertEvent) => Promise<void>;

/**
 * One round: marks the organizations whose balance fell below their threshold (sending each
 * webhook once) and re-arms those back above it. Returns what it did, for tests and logs.
 */
export async function checkBalanceAlerts(
  db: Db,
  options: { send: AlertSender; policy: WebhookPolicy; now?: Date },
): Promise<{ tripped: string[]; rearmed: string[] }> {
  const now = options.now ?? new Date();
  const rows = await db.organization.findMany({
    where: { balanceAlertNanoUsd: { not: null } },
    select: {
      accountId: true,
      balanceAlertNanoUsd: true,
      balanceAlertWebhookUrl: true,
      balanceAlertTrippedAt: true,
      account: { select: { name: true, balanceNanoUsd: true } },
    },
  });
  const tripped: string[] = [];
  const rearmed: string[] = [];
  for (const row of rows) {
    const threshold = row.balanceAlertNanoUsd!;
    const below = row.account.balanceNanoUsd < threshold;
    if (below && row.balanceAlertTrippedAt === null) {
      const claimed =
        await db.$executeRaw`UPDATE "Organization" SET "balanceAlertTrippedAt" = ${now} WHERE "accountId" = ${row.accountId} AND "balanceAlertTrippedAt" IS NULL`;
      if (claimed !== 1) continue;
      tripped.push(row.accountId);
      if (row.balanceAlertWebhookUrl) {
        const event: BalanceAlertEvent = {
          type: "balance.below_threshold",
          organization: { id: row.accountId, name: row.account.name ?? "" },
          balance_usd: formatNanoUsd(row.account.balanceNanoUsd),
          threshold_usd: formatNanoUsd(threshold),
          at: now.toISOString(),
        };
        await sendChecked(row.balanceAlertWebhookUrl, event, options).catch((error: Error) =>
          console.error(`balance alerts: the webhook of organization ${row.accountId} failed: ${error.message}`),
        );
      }
    } else if (!below && row.balanceAlertTrippedAt !== null) {
      await db.$executeRaw`UPDATE "Organization" SET "balanceAlertTrippedAt" = NULL WHERE "accountId" = ${row.accountId}`;
      rearmed.push(row.accountId);
    }
  }
  return { tripped, rearmed };
}

async function sendChecked(url: string, event: BalanceAlertEvent, options: { send: AlertSender; policy: WebhookPolicy }): Promise<void> {
  const check = await checkUpstreamUrl(url, options.policy);
  if (!check.ok) throw new Error(`refused to send: ${check.message}`);
  await options.send(url, event);
}

/** POSTs the event as JSON, 5 s at most, no redirects; a non-2xx answer is an error (logged by the caller). */
export const postAlert: AlertSender = async (url, event) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Switchyard balance alert" },
    body: JSON.stringify(event),
    redirect: "manual",
    signal: AbortSignal.timeout(5_000),
  });
  await response.body?.cancel();
  if (response.status < 200 || response.status >= 300) throw new Error(`the webhook answered ${response.status}`);
};
