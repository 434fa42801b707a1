import "server-only";
/**
 * Console API for organizations: switching the active account, creating an organization,
 * and (for the active organization) its members, invitations and limits. Membership changes
 * are its admins'; a member may only leave. Invitation links are built on this deployment's
 * public origin and shown to the admin who sends them.
 */
import { cookies } from "next/headers";
import { z } from "zod";
import { getDb } from "../../db/client.ts";
import { ValidationError, parseInput } from "../../errors/validation-error.ts";
import { apiErrorResponse, readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { publicOrigin } from "../../http/public-base-url.ts";
import { getKeyVerifier } from "../../keys/key-auth.ts";
import { ACTIVE_ACCOUNT_COOKIE, resolveActiveAccount, type ActiveAccount } from "../active-account.ts";
import { acceptInvitation, cancelInvitation, invitationPath, inviteMembers, listPendingInvitations } from "../invitation-service.ts";
import { changeMemberRole, listMembers, removeMember, setMemberLimits } from "../membership-service.ts";
import { createOrganization, deleteOrganization, listOrganizationsOf, updateOrganization } from "../organization-service.ts";
import { toMemberDto } from "../member-dto.ts";
import { readBalanceAlert, setBalanceAlert, type BalanceAlertView } from "../balance-alerts.ts";
import { webhookPolicy } from "../webhook-policy.ts";
import { formatNanoUsd } from "../../gateway/metering/money.ts";

const noStore = { "cache-control": "no-store" };

async function setActiveAccountCookie(accountId: string | null): Promise<void> {
  const jar = await cookies();
  if (accountId === null) jar.delete(ACTIVE_ACCOUNT_COOKIE);
  // Not a secret (every request checks the membership it names), but no script needs it.
  else jar.set(ACTIVE_ACCOUNT_COOKIE, accountId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 365 * 24 * 3600 });
}

function requireOrganization(account: ActiveAccount): asserts account is ActiveAccount & { kind: "organization"; membershipId: string } {
  if (account.kind !== "organization" || !account.membershipId) throw new ValidationError({ "": "Switch to an organization first (the account menu)" });
}

const switchSchema = z.object({ accountId: z.string({ error: "Choose an account" }).trim().min(1, "Choose an account") });

/**
 * POST /api/console/account: `{ accountId }` (an organization's id, or "personal"): act on that
 * account; one the person does not belong to is refused.
 */
export const handleSwitchAccount = consoleRoute(async ({ request, user }) => {
  const parsed = parseInput(switchSchema, await readJsonBody(request));
  const accountId = parsed.accountId === "personal" ? user.id : parsed.accountId;
  const account = await resolveActiveAccount(getDb(), user, accountId);
  if (account.id !== accountId) return apiErrorResponse(404, "not_found", "You are not a member of that organization");
  await setActiveAccountCookie(account.kind === "personal" ? null : account.id);
  return jsonResponse({ data: { id: account.id, kind: account.kind, name: account.name, role: account.role } }, { headers: noStore });
});

/** GET /api/console/organizations: the person's organizations (the switcher's list). */
export const handleListOrganizations = consoleRoute(async ({ user }) => {
  const organizations = await listOrganizationsOf(getDb(), user.id);
  return jsonResponse({ data: organizations.map((o) => ({ id: o.id, name: o.name, logoUrl: o.logoUrl, role: o.role })) }, { headers: noStore });
});

/** POST /api/console/organizations: creates one with the person as its admin and switches to it. */
export const handleCreateOrganization = consoleRoute(async ({ request, user }) => {
  const organization = await createOrganization(getDb(), user, user.id, await readJsonBody(request), { enforceLimits: true });
  await setActiveAccountCookie(organization.id);
  return jsonResponse({ data: { id: organization.id, name: organization.name, role: organization.role } }, { status: 201, headers: noStore });
});

/** GET /api/console/organization/members: admins see everyone and the pending invitations; a member sees themselves. */
export const handleListMembers = consoleRoute(async ({ account }) => {
  requireOrganization(account);
  const db = getDb();
  const members = await listMembers(db, account.id);
  const visible = account.role === "admin" ? members : members.filter((m) => m.id === account.membershipId);
  const invitations = account.role === "admin" ? await listPendingInvitations(db, account.id) : [];
  return jsonResponse(
    {
      data: visible.map(toMemberDto),
      invitations: invitations.map((i) => ({
        id: i.id,
        email: i.email,
        role: i.role,
        createdAt: i.createdAt.toISOString(),
        expiresAt: i.expiresAt.toISOString(),
      })),
    },
    { headers: noStore },
  );
});

/** POST /api/console/organization/invitations: `{ emails, role }`; answers each invitation's link (shown once). */
export const handleInvite = consoleRoute(
  async ({ request, user, account }) => {
    requireOrganization(account);
    const { invited, alreadyMembers } = await inviteMembers(getDb(), user, account.id, await readJsonBody(request));
    const origin = publicOrigin(request.headers);
    return jsonResponse(
      {
        data: invited.map((i) => ({
          id: i.id,
          email: i.email,
          role: i.role,
          expiresAt: i.expiresAt.toISOString(),
          link: `${origin}${invitationPath(i.token)}`,
        })),
        alreadyMembers,
      },
      { status: 201, headers: noStore },
    );
  },
  { accountAdmin: true },
);

export const handleCancelInvitation = consoleRoute<{ id: string }>(
  async ({ user, account, params }) => {
    requireOrganization(account);
    await cancelInvitation(getDb(), user, account.id, params.id);
    return new Response(null, { status: 204 });
  },
  { accountAdmin: true },
);

const memberPatchSchema = z.object({ role: z.unknown().optional(), limits: z.record(z.string(), z.unknown()).optional() });

/** PATCH /api/console/organization/members/{id}: `{ role }` and/or `{ limits: { total, day, week, month } }` (USD; empty removes one). */
export const handleUpdateMember = consoleRoute<{ id: string }>(
  async ({ request, user, account, params }) => {
    requireOrganization(account);
    const body = parseInput(memberPatchSchema, await readJsonBody(request));
    const db = getDb();
    if (body.role !== undefined) await changeMemberRole(db, user, account.id, params.id, body.role);
    if (body.limits !== undefined) await setMemberLimits(db, user, account.id, params.id, body.limits);
    const member = (await listMembers(db, account.id)).find((m) => m.id === params.id);
    return jsonResponse({ data: member ? toMemberDto(member) : null }, { headers: noStore });
  },
  { accountAdmin: true },
);

/** DELETE /api/console/organization/members/{id}: an admin removes a member, or a member leaves (their own id). */
export const handleRemoveMember = consoleRoute<{ id: string }>(async ({ user, account, params }) => {
  requireOrganization(account);
  const leaving = params.id === account.membershipId;
  if (!leaving && account.role !== "admin") return apiErrorResponse(403, "access_denied", "Only the organization's admins can remove members");
  const db = getDb();
  const keys = await db.apiKey.findMany({ where: { membershipId: params.id, revokedAt: null }, select: { hash: true } });
  await removeMember(db, user, account.id, params.id);
  // This instance drops the keys now; the others at their next change-feed round.
  for (const key of keys) getKeyVerifier().invalidateHash(key.hash);
  if (leaving) await setActiveAccountCookie(null);
  return new Response(null, { status: 204 });
});

const acceptSchema = z.object({ token: z.string({ error: "The invitation link is incomplete" }).trim().min(1, "The invitation link is incomplete") });

/** POST /api/console/invitations/accept: `{ token }`; joins and switches to the organization. */
export const handleAcceptInvitation = consoleRoute(async ({ request, user }) => {
  const { token } = parseInput(acceptSchema, await readJsonBody(request));
  const { organizationId } = await acceptInvitation(getDb(), user, token);
  await setActiveAccountCookie(organizationId);
  return jsonResponse({ data: { organizationId } }, { headers: noStore });
});

/** GET /api/console/organization/alert: the balance alert (admins). */
export const handleReadBalanceAlert = consoleRoute(
  async ({ account }) => {
    requireOrganization(account);
    return jsonResponse({ data: toAlertDto(await readBalanceAlert(getDb(), account.id)) }, { headers: noStore });
  },
  { accountAdmin: true },
);

/** PUT /api/console/organization/alert: `{ thresholdUsd, webhookUrl }`; an empty threshold removes the alert. */
export const handleSetBalanceAlert = consoleRoute(
  async ({ request, user, account }) => {
    requireOrganization(account);
    const alert = await setBalanceAlert(getDb(), user, account.id, await readJsonBody(request), webhookPolicy());
    return jsonResponse({ data: toAlertDto(alert) }, { headers: noStore });
  },
  { accountAdmin: true },
);

function toAlertDto(alert: BalanceAlertView) {
  return {
    thresholdUsd: alert.thresholdNanoUsd === null ? null : formatNanoUsd(alert.thresholdNanoUsd),
    webhookUrl: alert.webhookUrl,
    trippedAt: alert.trippedAt?.toISOString() ?? null,
  };
}

/** PATCH /api/console/organization: `{ name, logoUrl }` (admins). */
export const handleUpdateOrganization = consoleRoute(
  async ({ request, user, account }) => {
    requireOrganization(account);
    return jsonResponse({ data: await updateOrganization(getDb(), user, account.id, await readJsonBody(request)) }, { headers: noStore });
  },
  { accountAdmin: true },
);

/** DELETE /api/console/organization: `{ confirm: "DELETE" }` (admins); the console goes back to the personal account. */
export const handleDeleteOrganization = consoleRoute(
  async ({ request, user, account }) => {
    requireOrganization(account);
    const body = (await readJsonBody(request)) as { confirm?: unknown } | null;
    const db = getDb();
    const keys = await db.apiKey.findMany({ where: { userId: account.id, revokedAt: null }, select: { hash: true } });
    await deleteOrganization(db, user, account.id, body?.confirm);
    for (const key of keys) getKeyVerifier().invalidateHash(key.hash);
    getKeyVerifier().invalidateUser(account.id);
    await setActiveAccountCookie(null);
    return new Response(null, { status: 204 });
  },
  { accountAdmin: true },
);
