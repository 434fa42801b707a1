import "server-only";
/**
 * The wrapper every console API route uses: refuses cross-site mutations, requires a
 * signed-in (and for admin routes, admin) user checked against the database, and maps
 * errors in one place. Route handlers stay a few lines.
 */
import { getActiveAccount, getSessionUser } from "../auth/session.ts";
import type { AccountUser } from "../auth/user-service.ts";
import type { ActiveAccount } from "../organizations/active-account.ts";
import { apiErrorResponse, errorToResponse } from "./api-error.ts";

/** `user`: the signed-in person (their instance role in `user.role`); `account`: the account they act on, personal or an organization. */
export type ConsoleContext<P> = { request: Request; user: AccountUser; account: ActiveAccount; params: P };
type RouteContext<P> = { params: Promise<P> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The host the browser addressed. X-Forwarded-Host is anyone's to send, so it counts only
 * when TRUSTED_PROXY_HOPS says proxies set it: then the entry the outermost of those
 * proxies wrote (proxies that append write from the right; one that overwrites leaves one).
 */
export function requestHost(headers: Headers, env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const hops = Math.max(0, Number.parseInt(env.TRUSTED_PROXY_HOPS ?? "0", 10) || 0);
  const forwarded = (headers.get("x-forwarded-host") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (hops > 0 && forwarded.length > 0) return forwarded[Math.max(0, forwarded.length - hops)];
  return headers.get("host");
}

/**
 * Browsers send Origin (and Sec-Fetch-Site) with every mutation; a mismatch is a
 * cross-site request riding the session cookie. Clients that send neither are not
 * browsers and cannot carry someone else's cookie by accident.
 */
export function isSameOriginRequest(request: Request, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const origin = request.headers.get("origin");
  if (origin) {
    const host = requestHost(request.headers, env);
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  const site = request.headers.get("sec-fetch-site");
  return !site || site === "same-origin" || site === "none";
}

/**
 * `admin`: instance admins only. `accountAdmin`: the active account's admins only (in an
 * organization, its admins; in a personal account, its owner).
 */
export function consoleRoute<P = Record<string, never>>(
  handler: (context: ConsoleContext<P>) => Promise<Response>,
  options: { admin?: boolean; accountAdmin?: boolean } = {},
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      if (!SAFE_METHODS.has(request.method) && !isSameOriginRequest(request)) {
        return apiErrorResponse(403, "access_denied", "Cross-site request refused");
      }
      const user = await getSessionUser();
      if (!user) return apiErrorResponse(401, "unauthenticated", "Sign in to use the console API");
      if (options.admin && user.role !== "admin") return apiErrorResponse(403, "access_denied", "Only admins can do this");
      const account = await getActiveAccount(user);
      if (options.accountAdmin && account.role !== "admin") return apiErrorResponse(403, "access_denied", "Only the organization's admins can do this");
      return await handler({ request, user, account, params: await context.params });
    } catch (error) {
      return errorToResponse(error);
    }
  };
}
