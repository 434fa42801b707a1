/**
 * Organizations: a team's account (a User row of kind "organization", so its balance, ledger,
 * leases, keys and activity are an account's like any other) with an Organization row for its
 * settings and Membership rows for its people.
 *
 * Concurrency: every change to who belongs to an organization, or with which role, first locks
 * the organization's row (`lockOrganization`), so two admins acting at once are serialised and
 * the second sees the first's commit (PostgreSQL's row lock; SQLite's write lock). That is what
 * keeps "at least one admin" true when two admins demote each other at the same moment.
 */
import { randomUUID } from "node:crypto";
import { recordAuditEvent, type AuditActor } from "../audit/audit-log.ts";
import type { Db } from "../db/client.ts";
import type { Tx } from "../billing/ledger.ts";
import { NotFoundError } from "../errors/not-found-error.ts";
import { formatNanoUsd } from "../gateway/metering/money.ts";
import { parseInput, ValidationError } from "../errors/validation-error.ts";
import { readOrganizationLimitSettings } from "../settings/organization-limit-settings.ts";
import { createOrganizationSchema, type OrganizationRole } from "./organization-input.ts";

const TX_OPTIONS = { timeout: 20_000, maxWait: 20_000 };

export class OrganizationNotFoundError extends NotFoundError {
  constructor() {
    super("Organization not found");
  }
}

/** The placeholder email of an organization's account row: unique, and in a domain nobody can sign in from (RFC 2606). */
export function organizationAccountEmail(accountId: string): string {
  return `org-${accountId}@organizations.invalid`;
}

/** Locks the organization's row for the rest of the transaction (see the file comment); throws when there is none. */
export async function lockOrganization(tx: Tx, organizationId: string): Promise<void> {
  const locked = await tx.$executeRaw`UPDATE "Organization" SET "updatedAt" = ${new Date()} WHERE "accountId" = ${organizationId}`;
  if (locked !== 1) throw new OrganizationNotFoundError();
}

/** Locks a person's account row, so their own concurrent creations and joins count each other. */
export async function lockPerson(tx: Tx, userId: string): Promise<void> {
  // A write that changes nothing still takes the row lock; raw SQL leaves updatedAt (the key caches' feed) alone.
  const locked = await tx.$executeRaw`UPDATE "User" SET "kind" = "kind" WHERE "id" = ${userId} AND "kind" = 'personal'`;
  if (locked !== 1) throw new NotFoundError("No such person");
}

/**
 * Checks the instance's limits before `userId` joins an organization (or creates one, `creating`):
 * how many they created, how many they belong to. Run after lockPerson.
 */
export async function checkJoinLimits(tx: Tx, userId: string, options: { creating: boolean }): Promise<void> {
  const limits = await readOrganizationLimitSettings(tx);
  if (options.creating) {
    const created = await tx.organization.count({ where: { createdById: userId, deletedAt: null } });
    if (created >= limits.createPerUser) {
      throw new ValidationError({
        name: `You can create at most ${limits.createPerUser} organization${limits.createPerUser === 1 ? "" : "s"} on this instance`,
      });
    }
  }
  const joined = await tx.membership.count({ where: { userId, status: "active" } });
  if (joined >= limits.joinPerUser) {
    throw new ValidationError({
      email: `A person can belong to at most ${limits.joinPerUser} organization${limits.joinPerUser === 1 ? "" : "s"} on this instance`,
    });
  }
}

/** Checks that the organization has room for one more person (active members and pending invitations). */
export async function checkSeats(tx: Tx, organizationId: string, adding: number, now = new Date()): Promise<void> {
  const limits = await readOrganizationLimitSettings(tx);
  const [members, pending] = await Promise.all([
    tx.membership.count({ where: { organizationId, status: "active" } }),
    tx.invitation.count({ where: { organizationId, acceptedAt: null, cancelledAt: null, expiresAt: { gt: now } } }),
  ]);
  if (members + pending + adding > limits.seatsPerOrganization) {
    throw new ValidationError({
      emails: `An organization can have at most ${limits.seatsPerOrganization} members and pending invitations; it has ${members + pending}`,
    });
  }
}

export type OrganizationSummary = { id: string; name: string; logoUrl: string | null; role: OrganizationRole; createdAt: Date };

/**
 * Creates an organization with `ownerId` as its first admin; the console switches to it.
 * `enforceLimits: false` is the operator's CLI, which may create on anyone's behalf.
 */
export async function createOrganization(
  db: Db,
  actor: AuditActor,
  ownerId: string,
  /** `{ name, logoUrl? }` (CreateOrganizationInput) from a form, the API or the CLI: validated here */
  input: unknown,
  options: { enforceLimits: boolean },
): Promise<OrganizationSummary> {
  const { name, logoUrl } = parseInput(createOrganizationSchema, input);
  return db.$transaction(async (tx) => {
    await lockPerson(tx, ownerId);
    if (options.enforceLimits) await checkJoinLimits(tx, ownerId, { creating: true });
    const accountId = randomUUID();
    const account = await tx.user.create({ data: { id: accountId, kind: "organization", email: organizationAccountEmail(accountId), name } });
    const organization = await tx.organization.create({ data: { accountId, logoUrl, createdById: ownerId } });
    await tx.membership.create({ data: { organizationId: accountId, userId: ownerId, role: "admin" } });
    await recordAuditEvent(tx, {
      actor,
      action: "organization.create",
      targetType: "organization",
      targetId: accountId,
      targetLabel: name,
      after: { name, logoUrl, owner: ownerId },
    });
    return { id: accountId, name: account.name ?? name, logoUrl: organization.logoUrl, role: "admin" as const, createdAt: organization.createdAt };
  }, TX_OPTIONS);
}

/** The organizations a person belongs to, with their role in each (the account switcher's list). */
export async function listOrganizationsOf(db: Db, userId: string): Promise<OrganizationSummary[]> {
  const rows = await db.membership.findMany({
    where: { userId, status: "active" },
    include: { organization: { include: { account: { select: { name: true } } } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({
    id: m.organizationId,
    name: m.organization.account.name ?? "",
    logoUrl: m.organization.logoUrl,
    role: m.role === "admin" ? "admin" : "member",
    createdAt: m.organization.createdAt,
  }));
}

/** Finds an organization by its exact name, or by id (the CLI's --org). */
export async function findOrganization(db: Db, nameOrId: string): Promise<{ id: string; name: string } | null> {
  const rows = await db.user.findMany({
    where: { kind: "organization", organization: { deletedAt: null }, OR: [{ id: nameOrId }, { name: nameOrId }] },
    select: { id: true, name: true },
    take: 2,
  });
  if (rows.length > 1) throw new ValidationError({ org: `More than one organization is named "${nameOrId}": pass its id instead` });
  return rows[0] ? { id: rows[0].id, name: rows[0].name ?? "" } : null;
}

/** A person's active membership in an organization, or null: what every organization page and action checks first. */
export async function activeMembership(db: Pick<Db, "membership">, organizationId: string, userId: string) {
  const row = await db.membership.findUnique({ where: { organizationId_userId: { organizationId, userId } } });
  return row && row.status === "active" ? { id: row.id, role: (row.role === "admin" ? "admin" : "member") as OrganizationRole } : null;
}

/** Every organization on the instance with its balance and size (the instance admin's list). */
export async function listAllOrganizations(db: Db) {
  const rows = await db.user.findMany({
    where: { kind: "organization" },
    select: {
      id: true,
      name: true,
      balanceNanoUsd: true,
      reservedNanoUsd: true,
      createdAt: true,
      organization: { select: { deletedAt: true, memberships: { where: { status: "active" }, select: { role: true } } } },
    },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name ?? "",
    balanceNanoUsd: r.balanceNanoUsd,
    availableNanoUsd: r.balanceNanoUsd - r.reservedNanoUsd,
    members: r.organization?.memberships.length ?? 0,
    admins: r.organization?.memberships.filter((m) => m.role === "admin").length ?? 0,
    createdAt: r.createdAt,
    deletedAt: r.organization?.deletedAt ?? null,
  }));
}

/** Renames an organization and sets (or clears) its logo URL; its admins' to do. */
export async function updateOrganization(db: Db, actor: AuditActor, organizationId: string, input: unknown): Promise<{ name: string; logoUrl: string | null }> {
  const { name, logoUrl } = parseInput(createOrganizationSchema, input);
  return db.$transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const before = await tx.user.findUniqueOrThrow({ where: { id: organizationId }, select: { name: true, organization: { select: { logoUrl: true } } } });
    await tx.user.update({ where: { id: organizationId }, data: { name } });
    await tx.organization.update({ where: { accountId: organizationId }, data: { logoUrl } });
    await recordAuditEvent(tx, {
      actor,
      action: "organization.update",
      targetType: "organization",
      targetId: organizationId,
      targetLabel: name,
      before: { name: before.name, logoUrl: before.organization?.logoUrl ?? null },
      after: { name, logoUrl },
    });
    return { name, logoUrl };
  }, TX_OPTIONS);
}

/**
 * Deletes an organization, as ZenMux does: every member removed, every key revoked (the account
 * is suspended too, so no instance's cache serves one), pending invitations cancelled, and the
 * remaining balance forfeited. The rows stay, so its ledger, activity and audit trail do. Refused
 * while the balance is below zero (a debt to settle first) or without `confirm: "DELETE"`.
 */
export async function deleteOrganization(db: Db, actor: AuditActor, organizationId: string, confirm: unknown): Promise<void> {
  if (confirm !== "DELETE") throw new ValidationError({ confirm: "Type DELETE to confirm" });
  await db.$transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const account = await tx.user.findUniqueOrThrow({ where: { id: organizationId }, select: { name: true, balanceNanoUsd: true } });
    if (account.balanceNanoUsd < 0n) throw new ValidationError({ confirm: "The organization owes money: top it up to at least $0 before deleting it" });
    const now = new Date();
    await tx.organization.update({ where: { accountId: organizationId }, data: { deletedAt: now } });
    await tx.membership.updateMany({ where: { organizationId, status: "active" }, data: { status: "removed", removedAt: now } });
    await tx.apiKey.updateMany({ where: { userId: organizationId, revokedAt: null }, data: { revokedAt: now, updatedAt: now } });
    await tx.invitation.updateMany({ where: { organizationId, acceptedAt: null, cancelledAt: null }, data: { cancelledAt: now } });
    await tx.user.update({ where: { id: organizationId }, data: { status: "suspended" } });
    await recordAuditEvent(tx, {
      actor,
      action: "organization.delete",
      targetType: "organization",
      targetId: organizationId,
      targetLabel: account.name,
      before: { forfeitedBalanceUsd: formatNanoUsd(account.balanceNanoUsd) },
    });
  }, TX_OPTIONS);
}
