import "server-only";
/**
 * The wrapper every console API route uses: refuses cross-site mutations, requires a
 * signed-in (and for admin routes, admin) user checked against the database, and maps
 * errors in one place. Route handlers stay a few lines.
 */
import { getSessionUser } from "../auth/session.ts";
import type { AccountUser } from "../auth/user-service.ts";
import { apiErrorResponse, errorToResponse } from "./api-error.ts";

export type ConsoleContext<P> = { request: Request; user: AccountUser; params: P };
type RouteContext<P> = { params: Promise<P> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Browsers send Origin (and Sec-Fetch-Site) with every mutation; a mismatch is a
 * cross-site request riding the session cookie. Clients that send neither are not
 * browsers and cannot carry someone else's cookie by accident.
 */
export function isSameOriginRequest(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin) {
    const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  const site = request.headers.get("sec-fetch-site");
  return !site || site === "same-origin" || site === "none";
}

export function consoleRoute<P = Record<string, never>>(
  handler: (context: ConsoleContext<P>) => Promise<Response>,
  options: { admin?: boolean } = {},
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      if (!SAFE_METHODS.has(request.method) && !isSameOriginRequest(request)) {
        return apiErrorResponse(403, "access_denied", "Cross-site request refused");
      }
      const user = await getSessionUser();
      if (!user) return apiErrorResponse(401, "unauthenticated", "Sign in to use the console API");
      if (options.admin && user.role !== "admin") return apiErrorResponse(403, "access_denied", "Only admins can do this");
      return await handler({ request, user, params: await context.params });
    } catch (error) {
      return errorToResponse(error);
    }
  };
}
