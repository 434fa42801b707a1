/**
 * Sliding renewal of the session cookie. next-auth re-issues a JWT only when the browser
 * calls /api/auth/session, which this console never does (pages read the session on the
 * server, where a cookie cannot be set). So the proxy (proxy.ts) renews it: a cookie
 * issued more than SESSION_RENEW_AFTER_SECONDS ago is re-encrypted with the same claims
 * and a fresh expiry. The epoch travels unchanged, so a revoked cookie stays revoked.
 */
import { decode, encode } from "next-auth/jwt";
import { SESSION_MAX_AGE_SECONDS, SESSION_RENEW_AFTER_SECONDS } from "./session-lifetime.ts";

/** next-auth's cookie names: plain over http, `__Secure-` once NEXTAUTH_URL is https. */
export const SESSION_COOKIE_NAMES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

/** A fresh token for `token` when it is due for renewal; null when it is not, or cannot be read (the session check refuses it). */
export async function renewedSessionToken(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string | null> {
  let claims: Record<string, unknown> | null;
  try {
    claims = await decode({ token, secret });
  } catch {
    return null;
  }
  if (!claims || typeof claims.iat !== "number" || nowSeconds - claims.iat < SESSION_RENEW_AFTER_SECONDS) return null;
  const { iat: _iat, exp: _exp, jti: _jti, ...kept } = claims;
  return encode({ token: kept, secret, maxAge: SESSION_MAX_AGE_SECONDS });
}
