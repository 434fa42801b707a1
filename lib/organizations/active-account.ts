/**
 * The account a signed-in person is acting on in the console: their personal account, or an
 * organization they belong to (the avatar menu's switcher writes its id to a cookie). Resolved
 * on every request against the database, so a person removed from an organization falls back
 * to their personal account at their next click, whatever the cookie says.
 */
import type { Db } from "../db/client.ts";
import type { OrganizationRole } from "./organization-input.ts";

export const ACTIVE_ACCOUNT_COOKIE = "sy-account";

/**
 * `id`: the account whose balance, keys and activity the console shows. `role`: what the person
 * may do in it (a personal account's owner is its admin). `membershipId`: their membership, in an
 * organization.
 */
export type ActiveAccount = {
  id: string;
  kind: "personal" | "organization";
  name: string;
  role: OrganizationRole;
  membershipId: string | null;
};

export function personalAccount(person: { id: string; email: string; name: string | null }): ActiveAccount {
  return { id: person.id, kind: "personal", name: person.name ?? person.email, role: "admin", membershipId: null };
}

/** The account `requestedId` names if the person is an active member of it; their personal account otherwise. */
export async function resolveActiveAccount(
  db: Db,
  person: { id: string; email: string; name: string | null },
  requestedId: string | null | undefined,
): Promise<ActiveAccount> {
  if (!requestedId || requestedId === person.id) return personalAccount(person);
  const membership = await db.membership.findUnique({
    where: { organizationId_userId: { organizationId: requestedId, userId: person.id } },
    include: { organization: { include: { account: { select: { name: true } } } } },
  });
  if (!membership || membership.status !== "active") return personalAccount(person);
  return {
    id: membership.organizationId,
    kind: "organization",
    name: membership.organization.account.name ?? "",
    role: membership.role === "admin" ? "admin" : "member",
    membershipId: membership.id,
  };
}

/**
 * The API keys whose calls a person may see in the account's activity and usage, or null for
 * all of them: an organization member sees their own keys' calls; an admin sees everyone's, or
 * one member's (`memberFilter`, a membership id of this organization).
 */
export async function visibleKeyIds(db: Db, account: ActiveAccount, memberFilter: string | null = null): Promise<string[] | null> {
  if (account.kind === "personal") return null;
  const membershipId = account.role === "admin" ? memberFilter : account.membershipId;
  if (!membershipId) return null;
  const keys = await db.apiKey.findMany({ where: { userId: account.id, membershipId }, select: { id: true } });
  return keys.map((k) => k.id);
}
