/**
 * Console sessions over HTTP against the real server, through next-auth's real sign-in
 * and sign-out: a copied session cookie stops working at sign-out and at suspension (the
 * account's session epoch, on SQLite and PostgreSQL), a cookie older than a day is
 * re-issued for a fresh week by proxy.ts while an expired one is refused, a forged cookie
 * costs one log line, and X-Forwarded-Host counts for the same-origin check only behind a
 * trusted proxy.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { decode, encode, type JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/session-lifetime";
import { ConsoleClient } from "@/tests/support/console-client";
import { startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

const PASSWORD = "correct horse battery staple";

/** A console API call and a console page with exactly these cookies, as from another machine. */
async function withCookie(server: SwitchyardProcess, cookie: string) {
  const api = await fetch(`${server.url}/api/console/keys`, { headers: { cookie } });
  const page = await fetch(`${server.url}/keys`, { headers: { cookie }, redirect: "manual" });
  return { api: api.status, page: page.status, location: page.headers.get("location") };
}

const HOUR_SECONDS = 60 * 60;
const DAY_SECONDS = 24 * HOUR_SECONDS;

/** The claims of a signed-in client's session, without the ones encode stamps (iat, exp, jti). */
async function sessionClaimsOf(client: ConsoleClient, secret: string): Promise<JWT> {
  const { iat: _iat, exp: _exp, jti: _jti, ...claims } = (await decode({ token: client.sessionCookie()!.value, secret }))!;
  return claims;
}

/**
 * A session cookie as next-auth itself issued it `ageSeconds` ago. Its encode stamps iat and
 * exp from the clock (over any passed in), so the clock is set back while it runs.
 */
async function sessionTokenIssuedAgo(claims: JWT, secret: string, ageSeconds: number): Promise<string> {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - ageSeconds * 1000 });
  try {
    return await encode({ token: claims, secret, maxAge: SESSION_MAX_AGE_SECONDS });
  } finally {
    vi.useRealTimers();
  }
}

/** One request with exactly this cookie: its status, redirect and Set-Cookie headers. */
async function visit(server: SwitchyardProcess, pathname: string, cookie: string) {
  const response = await fetch(`${server.url}${pathname}`, { headers: { cookie }, redirect: "manual" });
  return { status: response.status, location: response.headers.get("location"), setCookies: response.headers.getSetCookie() };
}

/** A Set-Cookie header: name, value and attributes (names lower-cased; flags as ""). */
function parseSetCookie(header: string) {
  const [pair, ...rest] = header.split(";").map((part) => part.trim());
  const eq = pair.indexOf("=");
  const attributes: Record<string, string> = {};
  for (const part of rest) {
    const at = part.indexOf("=");
    attributes[(at < 0 ? part : part.slice(0, at)).toLowerCase()] = at < 0 ? "" : part.slice(at + 1);
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

describe("session revocation and renewal", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let server: SwitchyardProcess;
      let dir: string;
      let dropTarget: () => Promise<void>;
      let secret: string;

      beforeAll(async () => {
        dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-sessions-"));
        const target = await createTestTarget(kind);
        dropTarget = target.dropTarget;
        // No AUTH_SECRET: the start script generates one and keeps it in DATA_DIR/auth-secret.
        server = await startSwitchyard({
          DATA_DIR: dir,
          DATABASE_URL: target.target.url,
          AUTH_SECRET: "",
          CATALOG_FILE: "",
          SIGN_IN_ATTEMPTS_PER_MINUTE_PER_IP: "1000",
        });
        secret = readFileSync(path.join(dir, "auth-secret"), "utf8").trim();
        const owner = new ConsoleClient(server.url);
        expect((await owner.signUp("owner@example.com", PASSWORD)).status).toBe(201);
        expect((await owner.signUp("member@example.com", PASSWORD)).status).toBe(201);
      }, 120_000);
      afterAll(async () => {
        await server?.stop();
        await dropTarget?.();
        rmSync(dir, { recursive: true, force: true });
      });

      it("refuses a session cookie copied before sign-out, on the API (401) and on pages (to /login)", async () => {
        const browser = new ConsoleClient(server.url);
        expect(await browser.signIn("member@example.com", PASSWORD)).toBeNull();
        const stolen = browser.cookieHeader();
        expect(await withCookie(server, stolen)).toMatchObject({ api: 200, page: 200 });

        const signedOut = await browser.signOut();
        expect(signedOut.status).toBe(200);
        expect(browser.hasSession()).toBe(false);
        const after = await withCookie(server, stolen);
        expect(after).toMatchObject({ api: 401, location: expect.stringMatching(/\/login/) });
        expect([302, 303, 307]).toContain(after.page);

        // Signing in again gives a session that works, and the old cookie stays dead.
        const again = new ConsoleClient(server.url);
        expect(await again.signIn("member@example.com", PASSWORD)).toBeNull();
        expect((await again.fetch("/api/console/keys")).status).toBe(200);
        expect((await withCookie(server, stolen)).api).toBe(401);
      });

      it("ends a suspended account's sessions for good, even once it is active again", async () => {
        const owner = new ConsoleClient(server.url);
        expect(await owner.signIn("owner@example.com", PASSWORD)).toBeNull();
        const member = new ConsoleClient(server.url);
        expect(await member.signIn("member@example.com", PASSWORD)).toBeNull();
        const copy = member.cookieHeader();
        const users = (await (await owner.fetch("/api/console/admin/users")).json()) as { data: { id: string; email: string }[] };
        const id = users.data.find((u) => u.email === "member@example.com")!.id;
        expect((await owner.fetch(`/api/console/admin/users/${id}`, { method: "PATCH", json: { status: "suspended" } })).status).toBe(200);
        expect((await owner.fetch(`/api/console/admin/users/${id}`, { method: "PATCH", json: { status: "active" } })).status).toBe(200);
        expect((await withCookie(server, copy)).api).toBe(401);
        expect((await member.fetch("/api/console/keys")).status).toBe(401);
        expect(await new ConsoleClient(server.url).signIn("member@example.com", PASSWORD)).toBeNull();
      });

      it("re-issues a cookie issued more than a day ago, on pages and the console API, for a fresh week, and the new cookie works", async () => {
        const browser = new ConsoleClient(server.url);
        expect(await browser.signIn("member@example.com", PASSWORD)).toBeNull();
        const { name } = browser.sessionCookie()!;
        const claims = await sessionClaimsOf(browser, secret);
        const aged = await sessionTokenIssuedAgo(claims, secret, DAY_SECONDS + HOUR_SECONDS);

        for (const pathname of ["/api/console/keys", "/keys"]) {
          const answer = await visit(server, pathname, `${name}=${aged}`);
          expect(answer.status).toBe(200);
          expect(answer.setCookies).toHaveLength(1);
          const renewed = parseSetCookie(answer.setCookies[0]);
          const now = Date.now() / 1000;
          expect(renewed.name).toBe(name);
          expect(renewed.attributes).toMatchObject({ "max-age": String(SESSION_MAX_AGE_SECONDS), path: "/", httponly: "", samesite: "lax" });
          expect(Math.abs(Date.parse(renewed.attributes.expires) / 1000 - (now + SESSION_MAX_AGE_SECONDS))).toBeLessThan(60);
          const token = (await decode({ token: renewed.value, secret }))!;
          expect(token).toMatchObject({ uid: claims.uid, epoch: claims.epoch, email: "member@example.com" });
          expect(Math.abs((token.exp as number) - (now + SESSION_MAX_AGE_SECONDS))).toBeLessThan(60);
          expect(await withCookie(server, `${name}=${renewed.value}`)).toMatchObject({ api: 200, page: 200 });
        }
      });

      it("leaves a cookie younger than a day alone", async () => {
        const browser = new ConsoleClient(server.url);
        expect(await browser.signIn("member@example.com", PASSWORD)).toBeNull();
        const { name } = browser.sessionCookie()!;
        const young = await sessionTokenIssuedAgo(await sessionClaimsOf(browser, secret), secret, DAY_SECONDS - HOUR_SECONDS);
        for (const pathname of ["/api/console/keys", "/keys"]) {
          expect(await visit(server, pathname, `${name}=${young}`)).toMatchObject({ status: 200, setCookies: [] });
        }
      });

      it("refuses a cookie past its week, without renewing it, and logs it as expired", async () => {
        const browser = new ConsoleClient(server.url);
        expect(await browser.signIn("member@example.com", PASSWORD)).toBeNull();
        const { name } = browser.sessionCookie()!;
        const expired = await sessionTokenIssuedAgo(await sessionClaimsOf(browser, secret), secret, SESSION_MAX_AGE_SECONDS + HOUR_SECONDS);
        const before = server.output().length;
        const api = await visit(server, "/api/console/keys", `${name}=${expired}`);
        expect(api.status).toBe(401);
        const page = await visit(server, "/keys", `${name}=${expired}`);
        expect([302, 303, 307]).toContain(page.status);
        expect(page.location).toMatch(/\/login/);
        expect([api.setCookies, page.setCookies]).toEqual([[], []]);
        const lines = new Set(server.output().slice(before).split("\n").filter(Boolean));
        expect(lines).toEqual(new Set(["auth: refused an expired session cookie"]));
      });

      it("keeps refusing a renewed cookie once the account signed out elsewhere", async () => {
        const browser = new ConsoleClient(server.url);
        expect(await browser.signIn("member@example.com", PASSWORD)).toBeNull();
        const { name } = browser.sessionCookie()!;
        const aged = await sessionTokenIssuedAgo(await sessionClaimsOf(browser, secret), secret, 2 * DAY_SECONDS);
        const renewal = await visit(server, "/api/console/keys", `${name}=${aged}`);
        expect(renewal.status).toBe(200);
        expect(renewal.setCookies).toHaveLength(1);
        const renewed = `${name}=${parseSetCookie(renewal.setCookies[0]).value}`;
        expect(await withCookie(server, renewed)).toMatchObject({ api: 200, page: 200 });

        expect((await browser.signOut()).status).toBe(200);
        const after = await withCookie(server, renewed);
        expect(after).toMatchObject({ api: 401, location: expect.stringMatching(/\/login/) });
        expect([302, 303, 307]).toContain(after.page);
        expect((await withCookie(server, `${name}=${aged}`)).api).toBe(401);
      });
    });
  }
});

describe("forged cookies and forwarded hosts", () => {
  let plain: SwitchyardProcess;
  let proxied: SwitchyardProcess;
  const dirs: string[] = [];

  async function start(extra: Record<string, string>) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-sessions-"));
    dirs.push(dir);
    const server = await startSwitchyard({
      DATA_DIR: dir,
      DATABASE_URL: `file:${path.join(dir, "db.sqlite")}`,
      CATALOG_FILE: "",
      SIGN_IN_ATTEMPTS_PER_MINUTE_PER_IP: "1000",
      ...extra,
    });
    expect((await new ConsoleClient(server.url).signUp("owner@example.com", PASSWORD)).status).toBe(201);
    return server;
  }

  beforeAll(async () => {
    plain = await start({});
    proxied = await start({ TRUSTED_PROXY_HOPS: "1" });
  }, 120_000);
  afterAll(async () => {
    await plain?.stop();
    await proxied?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("logs a forged session cookie in one line, without a stack trace, and treats it as signed out", async () => {
    const line = "auth: refused a session cookie that does not decrypt (forged, or issued under another AUTH_SECRET)";
    const cookie = "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..forged.forged.forged";
    const before = plain.output().length;
    expect((await fetch(`${plain.url}/api/console/keys`, { headers: { cookie } })).status).toBe(401);
    expect(plain.output().slice(before).split("\n").filter(Boolean)).toEqual([line]);
    // A page reads the session in its layout and its body: one line per read, nothing else.
    const page = await fetch(`${plain.url}/keys`, { headers: { cookie }, redirect: "manual" });
    expect(page.headers.get("location")).toMatch(/\/login/);
    const pageLines = plain.output().slice(before).split("\n").filter(Boolean);
    expect(new Set(pageLines)).toEqual(new Set([line]));
  });

  it("ignores X-Forwarded-Host without TRUSTED_PROXY_HOPS: a cross-site mutation that spoofs it is refused", async () => {
    const owner = new ConsoleClient(plain.url);
    expect(await owner.signIn("owner@example.com", PASSWORD)).toBeNull();
    const spoofed = await owner.fetch("/api/console/keys", {
      json: { name: "csrf" },
      headers: { origin: "https://evil.example", "x-forwarded-host": "evil.example" },
    });
    expect(spoofed.status).toBe(403);
    expect((await owner.fetch("/api/console/keys")).status).toBe(200);
    expect(((await (await owner.fetch("/api/console/keys")).json()) as { data: unknown[] }).data).toEqual([]);
  });

  it("uses the host a trusted proxy forwards with TRUSTED_PROXY_HOPS=1, and still refuses another site", async () => {
    const owner = new ConsoleClient(proxied.url);
    expect(await owner.signIn("owner@example.com", PASSWORD)).toBeNull();
    const viaProxy = await owner.fetch("/api/console/keys", {
      json: { name: "through the proxy" },
      headers: { origin: "https://gateway.example", "x-forwarded-host": "gateway.example" },
    });
    expect(viaProxy.status).toBe(201);
    const crossSite = await owner.fetch("/api/console/keys", {
      json: { name: "csrf" },
      headers: { origin: "https://evil.example", "x-forwarded-host": "gateway.example" },
    });
    expect(crossSite.status).toBe(403);
  });
});
