/**
 * Pre-authorisation as the gateway sees it: hold an estimate before the upstream
 * call (402 when the balance cannot cover it), then charge the actual cost and release
 * the rest. Implemented over the ledger in lib/server/gateway.ts; the core only knows
 * this interface.
 */
import { formatNanoUsd } from "../metering/money.ts";
import { GatewayError } from "../errors.ts";
import type { GenerationRecord } from "./gateway-deps.ts";

export interface BillingPort {
  /** held, or refused by the balance or one of the key's spend limits */
  reserve(input: {
    id: string;
    userId: string;
    apiKeyId: string | null;
    amountNanoUsd: bigint;
  }): Promise<{ ok: true } | { ok: false; refusedBy: "balance" | "key_total" | "key_day" | "key_month" }>;
  /**
   * charges the cost (0 for a failed request) once per idempotency key and releases the hold;
   * `settled: false` when the hold was already closed (crash recovery took it as orphaned).
   * The generation record (bodies left out) is stored with the settlement, so a crash before
   * the activity writer's batch lands loses no record of a charge.
   */
  settle(input: {
    reservationId: string;
    costNanoUsd: bigint;
    idempotencyKey: string;
    generationId: string;
    record: GenerationRecord;
  }): Promise<{ settled: boolean }>;
  /**
   * makes a running stream's cost and record so far durable on its hold, for crash
   * recovery to charge if this process dies before settling; a no-op once settled
   */
  checkpoint(input: { reservationId: string; costNanoUsd: bigint; record: GenerationRecord }): Promise<void>;
  available(userId: string): Promise<bigint>;
}

const KEY_LIMITS = {
  key_total: ["spend_limit_total_exceeded", "total spend limit"],
  key_day: ["spend_limit_daily_exceeded", "daily spend limit"],
  key_month: ["spend_limit_monthly_exceeded", "monthly spend limit"],
} as const;

/** 402 naming the key limit that refused the request. */
export function keySpendLimitReached(limit: keyof typeof KEY_LIMITS, neededNanoUsd: bigint): GatewayError {
  const [type, label] = KEY_LIMITS[limit];
  return new GatewayError(
    402,
    type,
    `This API key's ${label} would be exceeded: this request may cost up to $${formatNanoUsd(neededNanoUsd)}. Raise the limit on the API Keys page, or use another key.`,
  );
}

export function insufficientCredit(neededNanoUsd: bigint, availableNanoUsd: bigint): GatewayError {
  return new GatewayError(
    402,
    "reject_no_credit",
    `Insufficient balance: this request may cost up to $${formatNanoUsd(neededNanoUsd)} and $${formatNanoUsd(availableNanoUsd > 0n ? availableNanoUsd : 0n)} is available. Top up, or lower max_tokens.`,
  );
}
