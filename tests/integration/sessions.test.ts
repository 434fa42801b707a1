/**
 * Console sessions over HTTP against the real server, through next-auth's real sign-in
 * and sign-out: a copied session cookie stops working at sign-out and at suspension (the
 * account's session epoch, on SQLite and PostgreSQL), a forged cookie costs one log
 * line, and X-Forwarded-Host counts for the same-origin check only behind a trusted proxy.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

describe("session revocation", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let server: SwitchyardProcess;
      let dir: string;
      let dropTarget: () => Promise<void>;

      beforeAll(async () => {
        dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-sessions-"));
        const target = await createTestTarget(kind);
        dropTarget = target.dropTarget;
        server = await startSwitchyard({ DATA_DIR: dir, DATABASE_URL: target.target.url, CATALOG_FILE: "", SIGN_IN_ATTEMPTS_PER_MINUTE_PER_IP: "1000" });
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
    const server = await startSwitchyard({ DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "db.sqlite")}`, CATALOG_FILE: "", SIGN_IN_ATTEMPTS_PER_MINUTE_PER_IP: "1000", ...extra });
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
    const spoofed = await owner.fetch("/api/console/keys", { json: { name: "csrf" }, headers: { origin: "https://evil.example", "x-forwarded-host": "evil.example" } });
    expect(spoofed.status).toBe(403);
    expect((await owner.fetch("/api/console/keys")).status).toBe(200);
    expect(((await (await owner.fetch("/api/console/keys")).json()) as { data: unknown[] }).data).toEqual([]);
  });

  it("uses the host a trusted proxy forwards with TRUSTED_PROXY_HOPS=1, and still refuses another site", async () => {
    const owner = new ConsoleClient(proxied.url);
    expect(await owner.signIn("owner@example.com", PASSWORD)).toBeNull();
    const viaProxy = await owner.fetch("/api/console/keys", { json: { name: "through the proxy" }, headers: { origin: "https://gateway.example", "x-forwarded-host": "gateway.example" } });
    expect(viaProxy.status).toBe(201);
    const crossSite = await owner.fetch("/api/console/keys", { json: { name: "csrf" }, headers: { origin: "https://evil.example", "x-forwarded-host": "gateway.example" } });
    expect(crossSite.status).toBe(403);
  });
});
