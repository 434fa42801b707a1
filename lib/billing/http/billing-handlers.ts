import "server-only";
/** Console API for billing: transactions, redeeming codes; admins grant credits and issue codes. */
import { z } from "zod";
import { findUserByEmail } from "../../auth/user-service.ts";
import { getDb } from "../../db/client.ts";
import { readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { parseInput, ValidationError } from "../../errors/validation-error.ts";
import { readBalance } from "../balance.ts";
import { adminCreditFields, creditAsAdmin } from "../admin-credit.ts";
import { formatNanoUsd } from "../../gateway/metering/money.ts";
import { createCodeBatch, listRecentCodes, redeemCode } from "../redemption.ts";
import { listTransactions } from "../transactions.ts";
import { caughtUpRecords } from "../../activity/http/caught-up.ts";

const noStore = { "cache-control": "no-store" };

export async function balanceDto(userId: string) {
  const b = await readBalance(getDb(), userId);
  return {
    totalUsd: formatNanoUsd(b.totalNanoUsd),
    topUpUsd: formatNanoUsd(b.topUpNanoUsd),
    bonusUsd: formatNanoUsd(b.bonusNanoUsd),
    reservedUsd: formatNanoUsd(b.reservedNanoUsd),
  };
}

export const handleListTransactions = consoleRoute(async ({ request, account }) => {
  const cursor = new URL(request.url).searchParams.get("cursor");
  await caughtUpRecords();
  return jsonResponse(await listTransactions(getDb(), account.id, { cursor }), { headers: noStore });
});

/** Redeeming a code tops up the active account: in an organization, only its admins may. */
export const handleRedeem = consoleRoute(
  async ({ request, account }) => {
    const body = (await readJsonBody(request)) as { code?: unknown };
    const { valueNanoUsd } = await redeemCode(getDb(), account.id, typeof body?.code === "string" ? body.code : "");
    return jsonResponse({ creditedUsd: formatNanoUsd(valueNanoUsd), balance: await balanceDto(account.id) }, { headers: noStore });
  },
  { accountAdmin: true },
);

const grantSchema = z.object({
  email: z.string({ error: "Enter the account's email" }).trim().min(1, "Enter the account's email"),
  ...adminCreditFields,
});

export const handleGrant = consoleRoute(
  async ({ request, user }) => {
    const input = parseInput(grantSchema, await readJsonBody(request));
    const target = await findUserByEmail(getDb(), input.email);
    if (!target) throw new ValidationError({ email: `No account with email ${input.email}` });
    await creditAsAdmin(getDb(), user, target, input);
    return jsonResponse({ balance: await balanceDto(target.id) }, { headers: noStore });
  },
  { admin: true },
);

export const handleCreateCodes = consoleRoute(
  async ({ request, user }) => {
    const batch = await createCodeBatch(getDb(), user, await readJsonBody(request));
    return jsonResponse(
      { codes: batch.codes, valueUsd: formatNanoUsd(batch.valueNanoUsd), expiresAt: batch.expiresAt?.toISOString() ?? null },
      { status: 201, headers: noStore },
    );
  },
  { admin: true },
);

export const handleListCodes = consoleRoute(
  async () => {
    const codes = await listRecentCodes(getDb());
    return jsonResponse(
      {
        data: codes.map((c) => ({
          code: c.code,
          valueUsd: formatNanoUsd(c.valueNanoUsd),
          expiresAt: c.expiresAt?.toISOString() ?? null,
          redeemedAt: c.redeemedAt?.toISOString() ?? null,
          createdAt: c.createdAt.toISOString(),
        })),
      },
      { headers: noStore },
    );
  },
  { admin: true },
);
