/**
 * Who belongs to an organization and with what role and credit limits. Each change locks the
 * organization first (organization-service.ts), so the last-admin rule holds when admins act
 * at once; each is audited in its own transaction.
 */
import { recordAuditEvent, type AuditActor } from "../audit/audit-log.ts";
import type { Db } from "../db/client.ts";
import { spendPeriods, type Tx } from "../billing/ledger.ts";
import { NotFoundError } from "../errors/not-found-error.ts";
import { parseInput, ValidationError } from "../errors/validation-error.ts";
import { formatNanoUsd } from "../gateway/metering/money.ts";
import { memberLimitsSchema, roleInputSchema, type OrganizationRole } from "./organization-input.ts";
import { checkJoinLimits, checkSeats, lockOrganization, lockPerson } from "./organization-service.ts";

const TX_OPTIONS = { timeout: 20_000, maxWait: 20_000 };

export class MemberNotFoundError extends NotFoundError {
  constructor() {
    super("Member not found");
  }
}

const LAST_ADMIN = "An organization needs at least one admin: make another member an admin first";

type MembershipRow = Awaited<ReturnType<Tx["membership"]["findUniqueOrThrow"]>>;

async function activeMemberOf(tx: Tx, organizationId: string, membershipId: string): Promise<MembershipRow> {
  const member = await tx.membership.findUnique({ where: { id: membershipId } });
  if (!member || member.organizationId !== organizationId || member.status !== "active") throw new MemberNotFoundError();
  return member;
}

async function otherAdmins(tx: Tx, organizationId: string, membershipId: string): Promise<number> {
  return tx.membership.count({ where: { organizationId, role: "admin", status: "active", id: { not: membershipId } } });
}

async function labelOf(tx: Tx, userId: string): Promise<string> {
  return (await tx.user.findUnique({ where: { id: userId }, select: { email: true } }))?.email ?? userId;
}

/**
 * Adds a person to an organization (the operator's CLI, or an accepted invitation inside its
 * transaction, `tx`). A removed member comes back with their row (and its history); someone
 * already a member is refused. `enforceLimits`: the instance's join and seat limits apply.
 */
export async function addMemberInTransaction(
  tx: Tx,
  actor: AuditActor,
  input: { organizationId: string; userId: string; role: OrganizationRole; enforceLimits: boolean; invited?: boolean },
): Promise<{ membershipId: string }> {
  const { role } = parseInput(roleInputSchema, { role: input.role });
  await lockOrganization(tx, input.organizationId);
  const existing = await tx.membership.findUnique({ where: { organizationId_userId: { organizationId: input.organizationId, userId: input.userId } } });
  if (existing?.status === "active") throw new ValidationError({ email: "This person is already a member of the organization" });
  // Only people join: an organization's account cannot be a member of another.
  await lockPerson(tx, input.userId);
  if (input.enforceLimits) {
    await checkJoinLimits(tx, input.userId, { creating: false });
    // An accepted invitation already held its seat.
    if (!input.invited) await checkSeats(tx, input.organizationId, 1);
  }
  const member = existing
    ? await tx.membership.update({ where: { id: existing.id }, data: { role, status: "active", removedAt: null } })
    : await tx.membership.create({ data: { organizationId: input.organizationId, userId: input.userId, role } });
  await recordAuditEvent(tx, {
    actor,
    action: "organization.member.add",
    targetType: "organization",
    targetId: input.organizationId,
    targetLabel: await labelOf(tx, input.userId),
    after: { userId: input.userId, role, via: input.invited ? "invitation" : "direct" },
  });
  return { membershipId: member.id };
}

export async function addMember(db: Db, actor: AuditActor, input: Parameters<typeof addMemberInTransaction>[2]) {
  return db.$transaction((tx) => addMemberInTransaction(tx, actor, input), TX_OPTIONS);
}

/** Changes a member's role; refuses to demote the last admin. */
export async function changeMemberRole(db: Db, actor: AuditActor, organizationId: string, membershipId: string, rawRole: unknown): Promise<OrganizationRole> {
  const { role } = parseInput(roleInputSchema, { role: rawRole });
  return db.$transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const member = await activeMemberOf(tx, organizationId, membershipId);
    if (member.role === role) return role;
    if (member.role === "admin" && (await otherAdmins(tx, organizationId, membershipId)) === 0) throw new ValidationError({ role: LAST_ADMIN });
    await tx.membership.update({ where: { id: membershipId }, data: { role } });
    await recordAuditEvent(tx, {
      actor,
      action: "organization.member.role",
      targetType: "organization",
      targetId: organizationId,
      targetLabel: await labelOf(tx, member.userId),
      before: { userId: member.userId, role: member.role },
      after: { userId: member.userId, role },
    });
    return role;
  }, TX_OPTIONS);
}

/**
 * Removes a member (or a member leaves: the same, by their own hand). Their organization keys
 * are revoked in the same transaction; updatedAt moves with revokedAt, so every instance's key
 * cache drops them at its next change-feed round, and a hold on any instance refuses a removed
 * member's key at once (ledger.ts holdOnMember checks the membership). Refuses the last admin.
 */
export async function removeMember(db: Db, actor: AuditActor, organizationId: string, membershipId: string): Promise<{ revokedKeys: number }> {
  return db.$transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const member = await activeMemberOf(tx, organizationId, membershipId);
    if (member.role === "admin" && (await otherAdmins(tx, organizationId, membershipId)) === 0) throw new ValidationError({ role: LAST_ADMIN });
    const now = new Date();
    await tx.membership.update({ where: { id: membershipId }, data: { status: "removed", removedAt: now } });
    const revoked = await tx.apiKey.updateMany({ where: { membershipId, revokedAt: null, deletedAt: null }, data: { revokedAt: now, updatedAt: now } });
    await recordAuditEvent(tx, {
      actor,
      action: "organization.member.remove",
      targetType: "organization",
      targetId: organizationId,
      targetLabel: await labelOf(tx, member.userId),
      before: { userId: member.userId, role: member.role },
      after: { revokedKeys: revoked.count },
    });
    return { revokedKeys: revoked.count };
  }, TX_OPTIONS);
}

const LIMIT_COLUMNS = { total: "spendLimitTotalNanoUsd", day: "spendLimitDayNanoUsd", week: "spendLimitWeekNanoUsd", month: "spendLimitMonthNanoUsd" } as const;

/** Sets a member's credit limits (fields left out stay; null removes one). Holds check them from the next request on. */
/** `input`: `{ total?, day?, week?, month? }` (MemberLimitsInput) in USD, validated here. */
export async function setMemberLimits(db: Db, actor: AuditActor, organizationId: string, membershipId: string, input: unknown) {
  const limits = parseInput(memberLimitsSchema, input);
  return db.$transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const member = await activeMemberOf(tx, organizationId, membershipId);
    const data: Partial<Record<(typeof LIMIT_COLUMNS)[keyof typeof LIMIT_COLUMNS], bigint | null>> = {};
    for (const [field, column] of Object.entries(LIMIT_COLUMNS) as [keyof typeof LIMIT_COLUMNS, (typeof LIMIT_COLUMNS)[keyof typeof LIMIT_COLUMNS]][]) {
      if (limits[field] !== undefined) data[column] = limits[field];
    }
    const updated = await tx.membership.update({ where: { id: membershipId }, data });
    // Moves the member's keys in the change feed: every instance gives back what it leased for them under the old limits.
    await tx.apiKey.updateMany({ where: { membershipId }, data: { updatedAt: new Date() } });
    const view = (m: MembershipRow) => Object.fromEntries(Object.entries(LIMIT_COLUMNS).map(([field, column]) => [field, usdOrNull(m[column])]));
    await recordAuditEvent(tx, {
      actor,
      action: "organization.member.limits",
      targetType: "organization",
      targetId: organizationId,
      targetLabel: await labelOf(tx, member.userId),
      before: { userId: member.userId, ...view(member) },
      after: { userId: member.userId, ...view(updated) },
    });
    return memberCredit(updated);
  }, TX_OPTIONS);
}

const usdOrNull = (nano: bigint | null) => (nano === null ? null : formatNanoUsd(nano));

/** One limit as a member sees it: the limit, what they spent in its period, and what is left (holds of running requests counted as spent). */
export type CreditLimitView = { limitNanoUsd: bigint | null; spentNanoUsd: bigint; leftNanoUsd: bigint | null };

/** A member's limits with what is spent and left in each, in the current UTC periods. */
export function memberCredit(member: MembershipRow, at = new Date()): Record<"total" | "day" | "week" | "month", CreditLimitView> {
  const { day, week, month } = spendPeriods(at);
  const view = (limit: bigint | null, spent: bigint): CreditLimitView => {
    const used = spent + member.reservedNanoUsd;
    return { limitNanoUsd: limit, spentNanoUsd: spent, leftNanoUsd: limit === null ? null : limit > used ? limit - used : 0n };
  };
  return {
    total: view(member.spendLimitTotalNanoUsd, member.spentNanoUsd),
    day: view(member.spendLimitDayNanoUsd, member.spentDayPeriod === day ? member.spentDayNanoUsd : 0n),
    week: view(member.spendLimitWeekNanoUsd, member.spentWeekPeriod === week ? member.spentWeekNanoUsd : 0n),
    month: view(member.spendLimitMonthNanoUsd, member.spentMonthPeriod === month ? member.spentMonthNanoUsd : 0n),
  };
}

/** The organization's members (active first, then those removed) with email, role and credit. */
export async function listMembers(db: Db, organizationId: string) {
  const rows = await db.membership.findMany({
    where: { organizationId },
    include: { user: { select: { email: true, name: true } } },
    orderBy: [{ status: "asc" }, { createdAt: "asc" }],
  });
  return rows.map((m) => ({
    id: m.id,
    userId: m.userId,
    email: m.user.email,
    name: m.user.name,
    role: (m.role === "admin" ? "admin" : "member") as OrganizationRole,
    status: m.status === "active" ? ("active" as const) : ("removed" as const),
    joinedAt: m.createdAt,
    credit: memberCredit(m),
  }));
}
