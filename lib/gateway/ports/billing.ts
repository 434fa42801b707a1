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
  /**
   * held, or refused by the balance, one of the key's spend limits or one of its member's credit
   * limits (`membershipId`: the organization member who created the key; null for personal keys)
   */
  reserve(input: {
    id: string;
    userId: string;
    apiKeyId: string | null;
    membershipId?: string | null;
    amountNanoUsd: bigint;
  }): Promise<{ ok: true } | { ok: false; refusedBy: HoldRefusal }>;
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

/** What refused a hold: the account's balance, a key's spend limit, or an organization member's credit limit (or their leaving). */
export type HoldRefusal = "balance" | keyof typeof KEY_LIMITS | keyof typeof MEMBER_LIMITS | "member_removed";

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

const MEMBER_LIMITS = {
  member_total: ["member_limit_total_exceeded", "total"],
  member_day: ["member_limit_daily_exceeded", "daily"],
  member_week: ["member_limit_weekly_exceeded", "weekly"],
  member_month: ["member_limit_monthly_exceeded", "monthly"],
} as const;

/**
 * 402 naming the organization member's credit limit that refused the request (a period limit
 * reopens with the next UTC day, ISO week or month; a total one only when an admin raises it),
 * or 403 when the key's creator is no longer a member.
 */
export function memberLimitReached(limit: keyof typeof MEMBER_LIMITS | "member_removed", neededNanoUsd: bigint): GatewayError {
  if (limit === "member_removed") {
    return new GatewayError(403, "access_denied", "The member who created this API key is no longer in its organization, so the key cannot spend its credit.");
  }
  const [type, label] = MEMBER_LIMITS[limit];
  const reopens =
    limit === "member_total"
      ? "Ask an organization admin to raise it."
      : "It resets at the start of the next period (UTC), or an organization admin can raise it.";
  return new GatewayError(
    402,
    type,
    `Your ${label} credit limit in this organization would be exceeded: this request may cost up to $${formatNanoUsd(neededNanoUsd)}. ${reopens}`,
  );
}

/** 402 naming the limit that refused a hold, whichever it was. */
export function holdRefused(refusedBy: Exclude<HoldRefusal, "balance">, neededNanoUsd: bigint): GatewayError {
  return refusedBy.startsWith("member_")
    ? memberLimitReached(refusedBy as keyof typeof MEMBER_LIMITS | "member_removed", neededNanoUsd)
    : keySpendLimitReached(refusedBy as keyof typeof KEY_LIMITS, neededNanoUsd);
}

export function insufficientCredit(neededNanoUsd: bigint, availableNanoUsd: bigint): GatewayError {
  return new GatewayError(
    402,
    "reject_no_credit",
    `Insufficient balance: this request may cost up to $${formatNanoUsd(neededNanoUsd)} and $${formatNanoUsd(availableNanoUsd > 0n ? availableNanoUsd : 0n)} is available. Top up, or lower max_tokens.`,
  );
}
