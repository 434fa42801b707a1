/**
 * Invitations by email: an admin invites one or more addresses with a role; each gets a link
 * (shown to the admin, who sends it) that a signed-in person with that email accepts within
 * 7 days, once. Only the token's SHA-256 is stored, as with API keys.
 */
import { createHash, randomBytes } from "node:crypto";
import { recordAuditEvent, type AuditActor } from "../audit/audit-log.ts";
import type { Db } from "../db/client.ts";
import { NotFoundError } from "../errors/not-found-error.ts";
import { parseInput, ValidationError } from "../errors/validation-error.ts";
import { addMemberInTransaction } from "./membership-service.ts";
import { invitationInputSchema, type OrganizationRole } from "./organization-input.ts";
import { checkSeats, lockOrganization } from "./organization-service.ts";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const TX_OPTIONS = { timeout: 20_000, maxWait: 20_000 };

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** The console path that accepts an invitation; the token travels in it. */
export const invitationPath = (token: string) => `/invitations/${token}`;

export type CreatedInvitation = { id: string; email: string; role: OrganizationRole; expiresAt: Date; token: string };

/**
 * Invites each email with `role`. Addresses already members are skipped (and listed), a pending
 * invitation to the same address is replaced by the new one, and the organization's seat limit
 * counts every pending invitation. The tokens are in the result and nowhere else.
 */
export async function inviteMembers(
  db: Db,
  actor: AuditActor,
  organizationId: string,
  /** the form's or the API's body: `{ emails, role }` (InvitationInput), validated here */
  input: unknown,
  now = new Date(),
): Promise<{ invited: CreatedInvitation[]; alreadyMembers: string[] }> {
  const { emails, role } = parseInput(invitationInputSchema, input);
  return db.$transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const members = await tx.membership.findMany({
      where: { organizationId, status: "active", user: { email: { in: emails } } },
      select: { user: { select: { email: true } } },
    });
    const alreadyMembers = members.map((m) => m.user.email);
    const toInvite = emails.filter((e) => !alreadyMembers.includes(e));
    // A new link for an address with one pending replaces it (and frees its seat first).
    await tx.invitation.updateMany({ where: { organizationId, email: { in: toInvite }, acceptedAt: null, cancelledAt: null }, data: { cancelledAt: now } });
    await checkSeats(tx, organizationId, toInvite.length, now);
    const invited: CreatedInvitation[] = [];
    for (const email of toInvite) {
      const token = `inv_${randomBytes(24).toString("base64url")}`;
      const row = await tx.invitation.create({
        data: { organizationId, email, role, tokenHash: hashToken(token), invitedById: actorId(actor), expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) },
      });
      invited.push({ id: row.id, email, role, expiresAt: row.expiresAt, token });
    }
    if (invited.length > 0) {
      await recordAuditEvent(tx, {
        actor,
        action: "organization.invite",
        targetType: "organization",
        targetId: organizationId,
        targetLabel: invited.map((i) => i.email).join(", "),
        after: { emails: invited.map((i) => i.email), role },
      });
    }
    return { invited, alreadyMembers };
  }, TX_OPTIONS);
}

function actorId(actor: AuditActor): string | null {
  return actor && "id" in actor ? actor.id : null;
}

/** Pending invitations of an organization, newest first (never their tokens). */
export async function listPendingInvitations(db: Db, organizationId: string, now = new Date()) {
  return db.invitation.findMany({
    where: { organizationId, acceptedAt: null, cancelledAt: null, expiresAt: { gt: now } },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
    orderBy: { createdAt: "desc" },
  });
}

export async function cancelInvitation(db: Db, actor: AuditActor, organizationId: string, invitationId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const cancelled = await tx.invitation.updateMany({
      where: { id: invitationId, organizationId, acceptedAt: null, cancelledAt: null },
      data: { cancelledAt: new Date() },
    });
    if (cancelled.count !== 1) throw new NotFoundError("No pending invitation with this id");
    const row = await tx.invitation.findUniqueOrThrow({ where: { id: invitationId } });
    await recordAuditEvent(tx, { actor, action: "organization.invite.cancel", targetType: "organization", targetId: organizationId, targetLabel: row.email });
  }, TX_OPTIONS);
}

/** What the acceptance page shows before the person accepts: the organization and the role, or why the link cannot be used. */
export async function describeInvitation(db: Db, token: string, now = new Date()) {
  const row = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { organization: { include: { account: { select: { name: true } } } } },
  });
  if (!row) return null;
  return {
    organizationId: row.organizationId,
    organizationName: row.organization.account.name ?? "",
    email: row.email,
    role: (row.role === "admin" ? "admin" : "member") as OrganizationRole,
    problem: invitationProblem(row, now),
  };
}

function invitationProblem(row: { acceptedAt: Date | null; cancelledAt: Date | null; expiresAt: Date }, now: Date): string | null {
  if (row.acceptedAt) return "This invitation was already used";
  if (row.cancelledAt) return "This invitation was cancelled; ask an organization admin for a new one";
  if (row.expiresAt <= now) return "This invitation has expired (links last 7 days); ask an organization admin for a new one";
  return null;
}

/**
 * Accepts an invitation for the signed-in person `user`. The link must be theirs (same email),
 * unused, not cancelled and not expired; the single conditional UPDATE that marks it used is
 * what makes two tabs accepting at once join only once.
 */
export async function acceptInvitation(db: Db, user: { id: string; email: string }, token: string, now = new Date()): Promise<{ organizationId: string }> {
  return db.$transaction(async (tx) => {
    const row = await tx.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!row) throw new NotFoundError("This invitation link is not valid");
    const problem = invitationProblem(row, now);
    if (problem) throw new ValidationError({ token: problem });
    if (row.email !== user.email.toLowerCase()) {
      throw new ValidationError({ token: `This invitation is for ${row.email}; sign in with that email to accept it` });
    }
    await lockOrganization(tx, row.organizationId);
    const used = await tx.$executeRaw`
      UPDATE "Invitation" SET "acceptedAt" = ${now}, "acceptedById" = ${user.id}
      WHERE "id" = ${row.id} AND "acceptedAt" IS NULL AND "cancelledAt" IS NULL AND "expiresAt" > ${now}`;
    if (used !== 1) throw new ValidationError({ token: "This invitation was already used" });
    const role = row.role === "admin" ? "admin" : "member";
    await addMemberInTransaction(tx, user, { organizationId: row.organizationId, userId: user.id, role, enforceLimits: true, invited: true });
    return { organizationId: row.organizationId };
  }, TX_OPTIONS);
}
