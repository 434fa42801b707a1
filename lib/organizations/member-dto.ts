/** Members as the console API sends them: money as USD decimal strings, dates as ISO strings. */
import { formatNanoUsd } from "../gateway/metering/money.ts";
import type { CreditLimitView, listMembers } from "./membership-service.ts";

type Member = Awaited<ReturnType<typeof listMembers>>[number];

export type CreditLimitDto = { limitUsd: string | null; spentUsd: string; leftUsd: string | null };

export type MemberDto = {
  id: string;
  email: string;
  name: string | null;
  role: "admin" | "member";
  status: "active" | "removed";
  joinedAt: string;
  credit: Record<"total" | "day" | "week" | "month", CreditLimitDto>;
};

const usd = (nano: bigint | null) => (nano === null ? null : formatNanoUsd(nano));

function toCreditDto(view: CreditLimitView): CreditLimitDto {
  return { limitUsd: usd(view.limitNanoUsd), spentUsd: formatNanoUsd(view.spentNanoUsd), leftUsd: usd(view.leftNanoUsd) };
}

export function toMemberDto(member: Member): MemberDto {
  return {
    id: member.id,
    email: member.email,
    name: member.name,
    role: member.role,
    status: member.status,
    joinedAt: member.joinedAt.toISOString(),
    credit: {
      total: toCreditDto(member.credit.total),
      day: toCreditDto(member.credit.day),
      week: toCreditDto(member.credit.week),
      month: toCreditDto(member.credit.month),
    },
  };
}
