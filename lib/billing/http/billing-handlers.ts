import "server-only";
/** Console API for billing: transactions, redeeming codes; admins grant credits and issue codes. */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { findUserByEmail } from "../../auth/user-service.ts";
import { getDb } from "../../db/client.ts";
import { readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { parseInput, ValidationError } from "../../http/validation-error.ts";
import { readBalance } from "../balance.ts";
import { credit } from "../ledger.ts";
import { formatNanoUsd, parseSignedUsdToNano } from "../money.ts";
import { createCodeBatch, listRecentCodes, redeemCode } from "../redemption.ts";
import { listTransactions } from "../transactions.ts";

const noStore = { "cache-control": "no-store" };

export async function balanceDto(userId: string) {
  const b = await readBalance(getDb(), userId);
  return { totalUsd: formatNanoUsd(b.totalNanoUsd), topUpUsd: formatNanoUsd(b.topUpNanoUsd), bonusUsd: formatNanoUsd(b.bonusNanoUsd), reservedUsd: formatNanoUsd(b.reservedNanoUsd) };
}

export const handleListTransactions = consoleRoute(async ({ request, user }) => {
  const cursor = new URL(request.url).searchParams.get("cursor");
  return jsonResponse(await listTransactions(getDb(), user.id, { cursor }), { headers: noStore });
});

export const handleRedeem = consoleRoute(async ({ request, user }) => {
  const body = (await readJsonBody(request)) as { code?: unknown };
  const { valueNanoUsd } = await redeemCode(getDb(), user.id, typeof body?.code === "string" ? body.code : "");
  return jsonResponse({ creditedUsd: formatNanoUsd(valueNanoUsd), balance: await balanceDto(user.id) }, { headers: noStore });
});

const grantSchema = z.object({
  email: z.string({ error: "Enter the account's email" }).trim().min(1, "Enter the account's email"),
  usd: z.union([z.string(), z.number()]).transform((v, ctx) => {
    const nano = parseSignedUsdToNano(v);
    if (nano === null || nano === 0n) {
      ctx.addIssue({ code: "custom", message: "Enter an amount in USD, like 10 or -2.50 (not 0)" });
      return z.NEVER;
    }
    return nano;
  }),
  reason: z.string({ error: "A reason is required" }).trim().min(1, "A reason is required").max(200),
});

export const handleGrant = consoleRoute(
  async ({ request, user }) => {
    const input = parseInput(grantSchema, await readJsonBody(request));
    const target = await findUserByEmail(getDb(), input.email);
    if (!target) throw new ValidationError({ email: `No account with email ${input.email}` });
    const kind = input.usd > 0n ? "top_up" : "adjustment";
    await credit(
      getDb(),
      { userId: target.id, kind, amountNanoUsd: input.usd, idempotencyKey: `admin:${randomUUID()}`, reason: input.reason, actorId: user.id },
      { audit: { actor: { id: user.id, email: user.email }, action: `credit.${kind}`, targetType: "user", targetId: target.id, targetLabel: target.email, after: { amountUsd: formatNanoUsd(input.usd), reason: input.reason } } },
    );
    return jsonResponse({ balance: await balanceDto(target.id) }, { headers: noStore });
  },
  { admin: true },
);

export const handleCreateCodes = consoleRoute(
  async ({ request, user }) => {
    const batch = await createCodeBatch(getDb(), { id: user.id, email: user.email }, await readJsonBody(request));
    return jsonResponse({ codes: batch.codes, valueUsd: formatNanoUsd(batch.valueNanoUsd), expiresAt: batch.expiresAt?.toISOString() ?? null }, { status: 201, headers: noStore });
  },
  { admin: true },
);

export const handleListCodes = consoleRoute(
  async () => {
    const codes = await listRecentCodes(getDb());
    return jsonResponse({ data: codes.map((c) => ({ code: c.code, valueUsd: formatNanoUsd(c.valueNanoUsd), expiresAt: c.expiresAt?.toISOString() ?? null, redeemedAt: c.redeemedAt?.toISOString() ?? null, createdAt: c.createdAt.toISOString() })) }, { headers: noStore });
  },
  { admin: true },
);
