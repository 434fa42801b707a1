import "server-only";
/**
 * next-auth configuration: email + password always; GitHub and Google when their
 * client id and secret are set. Sessions are JWTs holding the user id and the account's
 * session epoch; every server read re-loads the user (role, suspension, epoch) from the
 * database (session.ts), so sign-out and suspension end them (session-epoch.ts).
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { getDb } from "../db/client.ts";
import { clientIp } from "../http/client-ip.ts";
import { getPlaygroundKeyring } from "../playground/playground-keyring.ts";
import { bumpSessionEpoch, readSessionEpoch } from "./session-epoch.ts";
import { SESSION_MAX_AGE_SECONDS, SESSION_RENEW_AFTER_SECONDS } from "./session-lifetime.ts";
import { countSignInAttempt } from "./sign-in-throttle.ts";
import { findOrCreateOAuthUser, verifyCredentials } from "./user-service.ts";

export function oauthProvidersConfigured() {
  return {
    github: Boolean(process.env.GITHUB_CLIENT_ID && process.env.GITHUB_CLIENT_SECRET),
    google: Boolean(process.env.GOOGLE_CLIENT_ID && process.env.GOOGLE_CLIENT_SECRET),
  };
}

function headersOf(req: { headers?: Record<string, string | string[] | undefined> } | undefined): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req?.headers ?? {})) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(", "));
  }
  return headers;
}

function buildProviders(): NextAuthOptions["providers"] {
  const configured = oauthProvidersConfigured();
  return [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const email = typeof credentials?.email === "string" ? credentials.email : null;
        // Throws TooManyAttemptsError; next-auth hands its message to the sign-in form.
        countSignInAttempt(email, clientIp(headersOf(req)));
        const user = await verifyCredentials(getDb(), email, credentials?.password);
        if (!user) return null;
        if (user.status !== "active") throw new Error("This account is suspended. Contact your administrator.");
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
    ...(configured.github ? [GitHubProvider({ clientId: process.env.GITHUB_CLIENT_ID!, clientSecret: process.env.GITHUB_CLIENT_SECRET! })] : []),
    ...(configured.google ? [GoogleProvider({ clientId: process.env.GOOGLE_CLIENT_ID!, clientSecret: process.env.GOOGLE_CLIENT_SECRET! })] : []),
  ];
}

/** The first line of what next-auth reports, without its stack or metadata dump. */
function firstLine(metadata: unknown): string {
  const record = metadata as { message?: unknown; error?: { message?: unknown } } | null;
  const message = typeof record?.message === "string" ? record.message : typeof record?.error?.message === "string" ? record.error.message : String(metadata);
  return message.split("\n")[0].slice(0, 300);
}

/** next-auth hands its logger jose's own error: an expired session token is ERR_JWT_EXPIRED. */
function isExpiredToken(metadata: unknown): boolean {
  return (metadata as { code?: unknown } | null)?.code === "ERR_JWT_EXPIRED";
}

/**
 * One line per event. A cookie that does not decrypt is someone's forgery or a cookie from
 * before AUTH_SECRET changed: worth a line, not a stack trace per request. An expired one
 * (a client that kept it past its Max-Age, or a wrong clock) is neither, and says so.
 */
const authLogger: NextAuthOptions["logger"] = {
  error(code, metadata) {
    if (code === "JWT_SESSION_ERROR" && isExpiredToken(metadata)) console.error("auth: refused an expired session cookie");
    else if (code === "JWT_SESSION_ERROR") console.error("auth: refused a session cookie that does not decrypt (forged, or issued under another AUTH_SECRET)");
    else console.error(`auth: ${code}: ${firstLine(metadata)}`);
  },
  warn(code) {
    console.warn(`auth: warning ${code}`);
  },
  debug() {},
};

export const authOptions: NextAuthOptions = {
  secret: process.env.AUTH_SECRET,
  // updateAge is what next-auth's own session endpoint uses; proxy.ts renews cookies on console requests.
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_RENEW_AFTER_SECONDS },
  pages: { signIn: "/login", error: "/login" },
  providers: buildProviders(),
  logger: authLogger,
  events: {
    // Ends every session of the account issued under this cookie's epoch, a stolen copy included.
    async signOut({ token }) {
      if (typeof token?.uid === "string" && typeof token.epoch === "number") {
        await bumpSessionEpoch(getDb(), token.uid, token.epoch);
        // The playground's key dies with the session (its calls also need the session, which the epoch just ended).
        await getPlaygroundKeyring().revokeFor(token.uid);
      }
    },
  },
  callbacks: {
    async signIn({ user, account }) {
      if (!account || account.type === "credentials") return true;
      if (!user.email) return "/login?error=OAuthNoEmail";
      const local = await findOrCreateOAuthUser(getDb(), {
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        email: user.email,
        name: user.name ?? null,
      });
      if (local.status !== "active") return "/login?error=Suspended";
      // next-auth copies `user.id` into the token below; point it at our account.
      user.id = local.id;
      return true;
    },
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.epoch = await readSessionEpoch(getDb(), user.id);
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user) {
        const claims = session.user as { id?: string; epoch?: number };
        claims.id = typeof token.uid === "string" ? token.uid : undefined;
        claims.epoch = typeof token.epoch === "number" ? token.epoch : undefined;
      }
      return session;
    },
  },
};
