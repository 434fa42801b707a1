import "server-only";
/**
 * The signed-in user, re-read from the database on every call so a role change, a
 * suspension or a sign-out (session-epoch.ts) applies to the next request, whatever the
 * session cookie says. Console pages and console APIs call these in the code that reads
 * or writes data.
 */
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { getDb } from "../db/client.ts";
import { ACTIVE_ACCOUNT_COOKIE, resolveActiveAccount, type ActiveAccount } from "../organizations/active-account.ts";
import { authOptions } from "./auth-options.ts";
import { findSessionUser } from "./session-epoch.ts";
import type { AccountUser } from "./user-service.ts";

export async function getSessionUser(): Promise<AccountUser | null> {
  const session = await getServerSession(authOptions);
  const claims = session?.user as { id?: string; epoch?: number } | undefined;
  // A cookie without an epoch predates revocation: it cannot be revoked, so it is not honoured.
  if (!claims?.id || typeof claims.epoch !== "number") return null;
  return findSessionUser(getDb(), claims.id, claims.epoch);
}

/** For pages: the user, or a redirect to the sign-in page. */
export async function requirePageUser(): Promise<AccountUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}

/** The account the person acts on (the account switcher's cookie, checked against their memberships). */
export async function getActiveAccount(user: AccountUser): Promise<ActiveAccount> {
  const requested = (await cookies()).get(ACTIVE_ACCOUNT_COOKIE)?.value;
  return resolveActiveAccount(getDb(), user, requested);
}

/** For pages: the person and the account they act on, or a redirect to the sign-in page. */
export async function requirePageAccount(): Promise<{ user: AccountUser; account: ActiveAccount }> {
  const user = await requirePageUser();
  return { user, account: await getActiveAccount(user) };
}

/** For admin pages: 403 (app/forbidden.tsx) for members. */
export async function requirePageAdmin(): Promise<AccountUser> {
  const user = await requirePageUser();
  if (user.role !== "admin") forbidden();
  return user;
}
