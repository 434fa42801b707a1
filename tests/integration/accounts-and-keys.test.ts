/**
 * Accounts and API keys over HTTP against the real server: sign-up and sign-in, the
 * first account as admin, members kept to their own keys, admin pages refused, key
 * revocation and expiry taking effect within a second, bad input refused, throttling.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient } from "@/tests/support/console-client";
import { startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "correct horse battery staple";

let dir: string;
let server: SwitchyardProcess;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-accounts-"));
  // Many sign-ins from one address here; the throttle has its own server below.
  env = { DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "db.sqlite")}`, CATALOG_FILE: "", SIGN_IN_ATTEMPTS_PER_MINUTE_PER_IP: "1000" };
  server = await startSwitchyard(env);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls `check` every 25 ms; resolves to the elapsed ms once it returns true. */
async function msUntil(check: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (await check()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Infinity;
}

const generationStatus = async (key: string) =>
  (await fetch(`${server.url}/api/v1/generation?id=gen_none`, { headers: { authorization: `Bearer ${key}` } })).status;

describe("accounts", () => {
  const admin = () => new ConsoleClient(server.url);

  it("makes the first account an admin and later ones members", async () => {
    const first = await admin().signUp("owner@example.com", PASSWORD, "Owner");
    expect(first.status).toBe(201);
    expect((await first.json()).user.role).toBe("admin");
    const second = await admin().signUp("member@example.com", PASSWORD);
    expect((await second.json()).user.role).toBe("member");
  });

  it("refuses bad sign-ups with a message per field", async () => {
    const duplicate = await admin().signUp("OWNER@example.com", PASSWORD);
    expect(duplicate.status).toBe(400);
    expect((await duplicate.json()).error.fields.email).toBe("An account with this email already exists");
    const weak = await admin().signUp("new@example.com", "short");
    expect((await weak.json()).error.fields.password).toBe("Password must be at least 10 characters");
    const badEmail = await admin().signUp("not-an-email", PASSWORD);
    expect((await badEmail.json()).error.fields.email).toBe("Enter a valid email address");
  });

  it("signs in with the right password only", async () => {
    expect(await new ConsoleClient(server.url).signIn("owner@example.com", "wrong password!")).toBe("CredentialsSignin");
    const client = new ConsoleClient(server.url);
    expect(await client.signIn("owner@example.com", PASSWORD)).toBeNull();
    expect((await client.fetch("/dashboard")).status).toBe(200);
  });

  it("sends signed-out visitors of console pages to the sign-in page", async () => {
    const response = await new ConsoleClient(server.url).fetch("/keys");
    expect([302, 303, 307]).toContain(response.status);
    expect(response.headers.get("location")).toMatch(/\/login/);
  });

  it("answers 403 to a member on admin pages and 200 to the admin", async () => {
    const member = new ConsoleClient(server.url);
    await member.signIn("member@example.com", PASSWORD);
    expect((await member.fetch("/admin")).status).toBe(403);
    const owner = new ConsoleClient(server.url);
    await owner.signIn("owner@example.com", PASSWORD);
    expect((await owner.fetch("/admin")).status).toBe(200);
    const page = await owner.fetch("/admin/users");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("member@example.com");
  });
});

describe("API keys", () => {
  let owner: ConsoleClient;
  let member: ConsoleClient;
  beforeAll(async () => {
    owner = new ConsoleClient(server.url);
    member = new ConsoleClient(server.url);
    await owner.signIn("owner@example.com", PASSWORD);
    await member.signIn("member@example.com", PASSWORD);
  });

  it("creates a key with limits, shows it once, lists it with its visible start only", async () => {
    const created = await owner.fetch("/api/console/keys", {
      json: { name: "backend", allowedModels: ["openai/gpt-4o-mini"], spendLimitDayUsd: "5", spendLimitMonthUsd: 50, rpmLimit: "60", tpmLimit: 100000 },
    });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body.key).toMatch(/^sk-sy-v1-[0-9A-Za-z]{38}$/);
    expect(body.data).toMatchObject({
      name: "backend",
      status: "active",
      start: body.key.slice(0, 13),
      spendLimitDayUsd: "5.00",
      spendLimitMonthUsd: "50.00",
      rpmLimit: 60,
      tpmLimit: 100000,
    });

    const list = await (await owner.fetch("/api/console/keys")).json();
    expect(list.data.map((k: { name: string }) => k.name)).toContain("backend");
    expect(JSON.stringify(list)).not.toContain(body.key);
    expect(await generationStatus(body.key)).toBe(404);
  });

  it("keeps members to their own keys", async () => {
    const ownerKeys = (await (await owner.fetch("/api/console/keys")).json()).data as { id: string }[];
    const memberList = await (await member.fetch("/api/console/keys")).json();
    expect(memberList.data).toEqual([]);
    const target = ownerKeys[0].id;
    expect((await member.fetch(`/api/console/keys/${target}`, { method: "PATCH", json: { name: "mine now" } })).status).toBe(404);
    expect((await member.fetch(`/api/console/keys/${target}/revoke`, { method: "POST" })).status).toBe(404);
    expect((await member.fetch(`/api/console/keys/${target}`, { method: "DELETE" })).status).toBe(404);
    const after = (await (await owner.fetch("/api/console/keys")).json()).data as { id: string; name: string; status: string }[];
    expect(after.find((k) => k.id === target)).toMatchObject({ name: "backend", status: "active" });
  });

  it("refuses the console API without a session and cross-site mutations with one", async () => {
    expect((await fetch(`${server.url}/api/console/keys`)).status).toBe(401);
    const crossSite = await owner.fetch("/api/console/keys", { json: { name: "csrf" }, headers: { origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    const names = ((await (await owner.fetch("/api/console/keys")).json()).data as { name: string }[]).map((k) => k.name);
    expect(names).not.toContain("csrf");
  });

  it("refuses bad limits field by field and writes nothing", async () => {
    const before = (await (await owner.fetch("/api/console/keys")).json()).data.length;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: "" }, "name", "Name is required"],
      [{ name: "x", rpmLimit: -5 }, "rpmLimit", "Enter a whole number of requests per minute of at least 1"],
      [{ name: "x", tpmLimit: "lots" }, "tpmLimit", "Enter a whole number of tokens per minute of at least 1"],
      [{ name: "x", spendLimitTotalUsd: "-1" }, "spendLimitTotalUsd", "Enter an amount in USD, like 25 or 12.50 (not negative)"],
      [{ name: "x", spendLimitDayUsd: "abc" }, "spendLimitDayUsd", "Enter an amount in USD, like 25 or 12.50 (not negative)"],
      [{ name: "x", expiresAt: "2001-01-01T00:00:00Z" }, "expiresAt", "The expiry date must be in the future"],
      [{ name: "x", allowedModels: ["nope/nothing"] }, "allowedModels", "Unknown model: nope/nothing"],
    ];
    for (const [input, field, message] of cases) {
      const response = await owner.fetch("/api/console/keys", { json: input });
      expect(response.status, JSON.stringify(input)).toBe(400);
      expect((await response.json()).error.fields[field]).toBe(message);
    }
    const malformed = await owner.fetch("/api/console/keys", {
      method: "POST",
      headers: { "content-type": "application/json" },
      json: undefined,
      form: undefined,
    });
    expect(malformed.status).toBe(400);
    expect((await (await owner.fetch("/api/console/keys")).json()).data.length).toBe(before);
  });

  it("renames, changes limits, revokes (immediately) and deletes", async () => {
    const { key, data } = await (await owner.fetch("/api/console/keys", { json: { name: "temp" } })).json();
    const patched = await (await owner.fetch(`/api/console/keys/${data.id}`, { method: "PATCH", json: { name: "renamed", rpmLimit: 10 } })).json();
    expect(patched.data).toMatchObject({ name: "renamed", rpmLimit: 10 });
    expect(await generationStatus(key)).toBe(404);
    expect((await owner.fetch(`/api/console/keys/${data.id}/revoke`, { method: "POST" })).status).toBe(200);
    expect(await generationStatus(key)).toBe(401);
    expect((await owner.fetch(`/api/console/keys/${data.id}`, { method: "DELETE" })).status).toBe(204);
    const names = ((await (await owner.fetch("/api/console/keys")).json()).data as { name: string }[]).map((k) => k.name);
    expect(names).not.toContain("renamed");
  });

  it("refuses a key revoked from another process (the CLI) within a second", async () => {
    const { key, data } = await (await owner.fetch("/api/console/keys", { json: { name: "cli-revoked" } })).json();
    expect(await generationStatus(key)).toBe(404); // cached as valid in the server
    const cli = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "cli/main.ts", "key:revoke", "--id", data.id], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(await msUntil(async () => (await generationStatus(key)) === 401, 1000)).toBeLessThan(1000);
    const body = await (await fetch(`${server.url}/api/v1/generation?id=x`, { headers: { "x-api-key": key } })).json();
    expect(body).toEqual({ error: { code: "401", type: "invalid_api_key", message: "This API key has been revoked" } });
  });

  it("refuses a key within a second of its expiry", async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const { key } = await (await owner.fetch("/api/console/keys", { json: { name: "short-lived", expiresAt } })).json();
    expect(await generationStatus(key)).toBe(404);
    await msUntil(async () => Date.now() >= Date.parse(expiresAt), 3000);
    expect(await msUntil(async () => (await generationStatus(key)) === 401, 1000)).toBeLessThan(1000);
  });

  it("answers 401 in ZenMux's format for missing and malformed keys", async () => {
    const missing = await fetch(`${server.url}/api/v1/generation?id=x`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("x-should-retry")).toBe("false");
    expect((await missing.json()).error).toMatchObject({ code: "401", type: "invalid_api_key" });
    const malformed = await fetch(`${server.url}/api/v1/generation?id=x`, { headers: { authorization: "Bearer sk-sy-v1-not-a-real-key" } });
    expect((await malformed.json()).error.message).toMatch(/^Malformed API key/);
  });
});

describe("sign-in throttling (default limits: 10 a minute per email and per IP)", () => {
  let throttled: SwitchyardProcess;
  let throttledDir: string;
  beforeAll(async () => {
    throttledDir = mkdtempSync(path.join(os.tmpdir(), "switchyard-throttle-"));
    throttled = await startSwitchyard({ DATA_DIR: throttledDir, DATABASE_URL: `file:${path.join(throttledDir, "db.sqlite")}`, CATALOG_FILE: "" });
  });
  afterAll(async () => {
    await throttled?.stop();
    rmSync(throttledDir, { recursive: true, force: true });
  });

  it("refuses the 11th attempt within a minute with a clear message, for that email and from that address", async () => {
    const results: (string | null)[] = [];
    for (let i = 0; i < 11; i++) results.push(await new ConsoleClient(throttled.url).signIn("victim@example.com", `wrong password ${i}`));
    expect(results.slice(0, 10)).toEqual(Array(10).fill("CredentialsSignin"));
    expect(results[10]).toMatch(/^Too many sign-in attempts\. Try again in \d+ seconds?\.$/);
    // The address is spent too: another email from it is refused as well.
    expect(await new ConsoleClient(throttled.url).signIn("someone-else@example.com", "whatever password")).toMatch(/^Too many sign-in attempts/);
  });
});
