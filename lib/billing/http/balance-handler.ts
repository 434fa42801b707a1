import "server-only";
/** GET /api/v1/management/payg/balance: the key owner's balance in ZenMux's shape. */
import { getDb } from "../../db/client.ts";
import { errorToResponse } from "../../http/api-error.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { authenticateRequest } from "../../keys/key-auth.ts";
import { readBalance } from "../balance.ts";
import { formatNanoUsd } from "../../gateway/metering/money.ts";

const usd = (nano: bigint) => Number(formatNanoUsd(nano, 0));

export async function handleBalance(request: Request): Promise<Response> {
  try {
    const principal = await authenticateRequest(request);
    const balance = await readBalance(getDb(), principal.userId);
    return jsonResponse(
      {
        success: true,
        data: {
          currency: "usd",
          total_credits: usd(balance.totalNanoUsd),
          top_up_credits: usd(balance.topUpNanoUsd),
          bonus_credits: usd(balance.bonusNanoUsd),
          // Switchyard extras: money held by requests in flight, and what is left to spend.
          reserved_credits: usd(balance.reservedNanoUsd),
          available_credits: usd(balance.totalNanoUsd - balance.reservedNanoUsd),
        },
      },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return errorToResponse(error);
  }
}
