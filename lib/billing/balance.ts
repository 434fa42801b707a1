/**
 * An account's balance and its split, from the ledger. Spending draws on bonus credits
 * (trial grants, redemptions, positive adjustments) first, then on top-ups; so
 * bonus = what is left of the bonus credits after all net spending, capped by the
 * balance, and top-up = the rest.
 */
import type { Db } from "../db/client.ts";

export type BalanceSplit = { totalNanoUsd: bigint; reservedNanoUsd: bigint; topUpNanoUsd: bigint; bonusNanoUsd: bigint };

const BONUS_KINDS = new Set(["trial_grant", "redemption", "adjustment"]);

export async function readBalance(db: Db, userId: string): Promise<BalanceSplit> {
  const [user, byKind] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { balanceNanoUsd: true, reservedNanoUsd: true } }),
    db.ledgerEntry.groupBy({ by: ["kind"], where: { userId }, _sum: { amountNanoUsd: true } }),
  ]);
  let bonus = 0n;
  let spent = 0n;
  for (const row of byKind) {
    const sum = row._sum.amountNanoUsd ?? 0n;
    if (BONUS_KINDS.has(row.kind) && sum > 0n) bonus += sum;
    else if (row.kind === "charge" || row.kind === "refund" || (row.kind === "adjustment" && sum < 0n)) spent -= sum;
  }
  const total = user.balanceNanoUsd;
  const remainingBonus = bonus - (spent > 0n ? spent : 0n);
  const bonusLeft = remainingBonus < 0n ? 0n : remainingBonus > total ? (total > 0n ? total : 0n) : remainingBonus;
  return { totalNanoUsd: total, reservedNanoUsd: user.reservedNanoUsd, bonusNanoUsd: bonusLeft, topUpNanoUsd: total - bonusLeft };
}
