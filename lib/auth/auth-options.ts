import "server-only";
/**
 * next-auth configuration: email + password always; GitHub and Google when their
 * client id and secret are set. Sessions are JWTs holding only the user id; every
 * server read re-loads the user (role, suspension) from the database (session.ts).
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { getDb } from "../db/client.ts";
import { clientIp } from "../http/client-ip.ts";
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

export const authOptions: NextAuthOptions = {
  secret: process.env.AUTH_SECRET,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/login", error: "/login" },
  providers: buildProviders(),
  callbacks: {
    async signIn({ user, account }) {
      if (!account || account.type === "credentials") return true;
      if (!user.email) return "/login?error=OAuthNoEmail";
      const local = await findOrCreateOAuthUser(getDb(), { provider: account.provider, providerAccountId: account.providerAccountId, email: user.email, name: user.name ?? null });
      if (local.status !== "active") return "/login?error=Suspended";
      // next-auth copies `user.id` into the token below; point it at our account.
      user.id = local.id;
      return true;
    },
    async jwt({ token, user }) {
      if (user) token.uid = user.id;
      return token;
    },
    async session({ session, token }) {
      if (session.user) (session.user as { id?: string }).id = typeof token.uid === "string" ? token.uid : undefined;
      return session;
    },
  },
};
