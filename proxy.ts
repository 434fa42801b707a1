/**
 * Runs before console pages and console APIs: renews the session cookie of an active
 * user (lib/auth/session-renewal.ts). It decides nothing about access; the session check
 * in lib/auth/session.ts does that on every call.
 */
import { NextResponse, type NextRequest } from "next/server";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/session-lifetime";
import { renewedSessionToken, SESSION_COOKIE_NAMES } from "@/lib/auth/session-renewal";

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const response = NextResponse.next();
  const secret = process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET;
  const name = SESSION_COOKIE_NAMES.find((candidate) => request.cookies.has(candidate));
  if (!secret || !name) return response;
  const renewed = await renewedSessionToken(request.cookies.get(name)!.value, secret);
  if (renewed)
    response.cookies.set(name, renewed, { httpOnly: true, sameSite: "lax", path: "/", secure: name.startsWith("__Secure-"), maxAge: SESSION_MAX_AGE_SECONDS });
  return response;
}

export const config = {
  matcher: [
    "/dashboard/:path*",
    "/keys/:path*",
    "/activity/:path*",
    "/usage/:path*",
    "/billing/:path*",
    "/settings/:path*",
    "/playground/:path*",
    "/admin/:path*",
    "/api/console/:path*",
  ],
};
