/**
 * Organizations through the console's HTTP API (issue 19), as two people use them: an admin
 * creates an organization (and is switched to it), invites a member by link, the member joins;
 * each calls with a personal and an organization key. Checked: what each sees of keys, activity
 * and the CSV export in each account (personal and organization data never mix; a member sees
 * only their own calls, the admin everyone's, by member); member-only refusals (inviting,
 * changing roles, redeeming into the organization); a link accepted by the wrong email; leaving,
 * after which the member's organization key is refused. Through the real server, on SQLite and PostgreSQL.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient } from "@/tests/support/console-client";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { pollFor } from "@/tests/support/poll";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

const PASSWORD = "long enough password";

async function person(url: string, email: string): Promise<ConsoleClient> {
  const client = new ConsoleClient(url);
  expect((await client.signUp(email, PASSWORD)).status).toBe(201);
  expect(await client.signIn(email, PASSWORD)).toBeNull();
  return client;
}

async function json<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

describe.each(await availableDatabaseKinds())("organizations in the console on %s", (kind) => {
  let gw: GatewayFixture;
  let dropTarget: (() => Promise<void>) | undefined;
  let ann: ConsoleClient;
  let ben: ConsoleClient;
  let orgId: string;
  const keys: Record<string, string> = {};
  const calls: Record<string, string> = {};

  const call = async (key: string) => {
    const response = await fetch(`${gw.url}/api/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "test/flat", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }),
    });
    await response.text();
    return response;
  };
  const csv = async (client: ConsoleClient) => (await client.fetch("/api/console/activity/export")).text();
  const activityIds = async (client: ConsoleClient) =>
    (await json<{ data: { id: string; member: string | null }[] }>(await client.fetch("/api/console/activity"))).data.map((r) => r.id).sort();

  beforeAll(async () => {
    const target = kind === "postgres" ? await createTestTarget("postgres") : null;
    dropTarget = target?.dropTarget;
    gw = await startGatewayFixture({}, target ? { database: target.target } : {});
    ann = await person(gw.url, "ann@example.com");
    ben = await person(gw.url, "ben@example.com");
  });
  afterAll(async () => {
    await gw?.stop();
    await dropTarget?.();
  });

  it("creates an organization for its admin, who invites a member by link; only that email can join, once", async () => {
    const created = await json<{ data: { id: string; name: string; role: string } }>(
      await ann.fetch("/api/console/organizations", { json: { name: "Team" } }),
      201,
    );
    orgId = created.data.id;
    expect(created.data).toMatchObject({ name: "Team", role: "admin" });
    // A second one is over the instance's default limit of one created per person.
    const second = await ann.fetch("/api/console/organizations", { json: { name: "Again" } });
    expect(second.status).toBe(400);
    expect((await second.json()).error.fields.name).toMatch(/at most 1 organization/);

    const bad = await ann.fetch("/api/console/organization/invitations", { json: { emails: "not an email", role: "member" } });
    expect(bad.status).toBe(400);
    const invited = await json<{ data: { email: string; link: string }[] }>(
      await ann.fetch("/api/console/organization/invitations", { json: { emails: "ben@example.com", role: "member" } }),
      201,
    );
    const token = new URL(invited.data[0].link).pathname.split("/").pop()!;
    const eve = await person(gw.url, "eve@example.com");
    const wrong = await eve.fetch("/api/console/invitations/accept", { json: { token } });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.fields.token).toBe("This invitation is for ben@example.com; sign in with that email to accept it");
    await json(await ben.fetch("/api/console/invitations/accept", { json: { token } }));
    expect((await ben.fetch("/api/console/invitations/accept", { json: { token } })).status).toBe(400);
  });

  it("keeps personal and organization keys, activity and CSV apart; a member sees their own calls, the admin every member's", async () => {
    // Both are acting on the organization now (creating and joining switch to it).
    keys.annOrg = (await json<{ key: string }>(await ann.fetch("/api/console/keys", { json: { name: "ann team" } }), 201)).key;
    keys.benOrg = (await json<{ key: string }>(await ben.fetch("/api/console/keys", { json: { name: "ben team" } }), 201)).key;
    await json(await ann.fetch("/api/console/account", { json: { accountId: "nope" } }), 404);
    const annPersonal = await json<{ data: { kind: string } }>(await ann.fetch("/api/console/account", { json: { accountId: "personal" } }));
    expect(annPersonal.data.kind).toBe("personal");
    keys.annPersonal = (await json<{ key: string }>(await ann.fetch("/api/console/keys", { json: { name: "ann own" } }), 201)).key;

    // The organization has no money yet: its keys are refused with the balance's 402 (a call on its record all the same).
    const refused = await call(keys.annOrg);
    expect(refused.status).toBe(402);
    calls.annRefused = refused.headers.get("x-request-id")!;
    topUp("Team", "5");
    for (const [name, key] of Object.entries(keys)) {
      const response = await call(key);
      expect(response.status).toBe(200);
      calls[name] = response.headers.get("x-request-id")!;
    }
    await pollFor("the activity rows", async () => (await activityIds(ann)).includes(calls.annPersonal));

    // Ann, personal: only her own call; no organization key in her list.
    expect(await activityIds(ann)).toEqual([calls.annPersonal]);
    expect((await json<{ data: { name: string }[] }>(await ann.fetch("/api/console/keys"))).data.map((k) => k.name)).toEqual(["ann own"]);
    expect(await csv(ann)).not.toContain(calls.annOrg);

    // Ann, organization admin: both members' calls and keys, each with its member.
    await json(await ann.fetch("/api/console/account", { json: { accountId: orgId } }));
    expect(await activityIds(ann)).toEqual([calls.annRefused, calls.annOrg, calls.benOrg].sort());
    const orgKeys = (await json<{ data: { name: string; creator: string; yours: boolean }[] }>(await ann.fetch("/api/console/keys"))).data;
    expect(orgKeys.map((k) => [k.name, k.creator, k.yours]).sort()).toEqual([
      ["ann team", "ann@example.com", true],
      ["ben team", "ben@example.com", false],
    ]);
    const adminCsv = await csv(ann);
    expect(adminCsv.split("\n")[0]).toContain("member");
    expect(adminCsv).toContain(calls.benOrg);
    expect(adminCsv).toContain("ben@example.com");
    expect(adminCsv).not.toContain(calls.annPersonal);
    const benMember = (await json<{ members: { id: string; email: string }[] }>(await ann.fetch("/api/console/activity/options"))).members.find(
      (m) => m.email === "ben@example.com",
    )!;
    const filtered = await json<{ data: { id: string }[] }>(await ann.fetch(`/api/console/activity?member=${benMember.id}`));
    expect(filtered.data.map((r) => r.id)).toEqual([calls.benOrg]);
    // The dashboard groups spend by member for the admin, and narrows to one.
    const dashboard = await json<{ requests: number; members: { member: string; requests: number; costUsd: string }[] }>(
      await ann.fetch("/api/console/usage/summary"),
    );
    expect(dashboard.members.map((m) => [m.member, m.requests]).sort()).toEqual([
      ["ann@example.com", 2],
      ["ben@example.com", 1],
    ]);
    expect(dashboard.members.find((m) => m.member === "ben@example.com")!.costUsd).toBe("0.01");
    expect((await json<{ requests: number }>(await ann.fetch(`/api/console/usage/summary?member=${benMember.id}`))).requests).toBe(1);
    expect((await json<{ members?: unknown }>(await ben.fetch("/api/console/usage/summary"))).members).toBeUndefined();

    // Ben, member: only his own call and key, also by id and in the CSV.
    expect(await activityIds(ben)).toEqual([calls.benOrg]);
    expect((await json<{ data: { name: string }[] }>(await ben.fetch("/api/console/keys"))).data.map((k) => k.name)).toEqual(["ben team"]);
    expect((await ben.fetch(`/api/console/activity/${calls.annOrg}`)).status).toBe(404);
    expect(await csv(ben)).not.toContain(calls.annOrg);
  });

  it("refuses members what only admins may do, and keeps the last admin", async () => {
    expect((await ben.fetch("/api/console/organization/invitations", { json: { emails: "x@example.com", role: "member" } })).status).toBe(403);
    const members = (await json<{ data: { id: string; email: string }[] }>(await ann.fetch("/api/console/organization/members"))).data;
    const annMember = members.find((m) => m.email === "ann@example.com")!;
    const benMember = members.find((m) => m.email === "ben@example.com")!;
    expect((await ben.fetch(`/api/console/organization/members/${annMember.id}`, { method: "PATCH", json: { role: "member" } })).status).toBe(403);
    expect((await ben.fetch(`/api/console/organization/members/${annMember.id}`, { method: "DELETE" })).status).toBe(403);
    expect((await ben.fetch("/api/console/billing/redeem", { json: { code: "SY-AAAA-BBBB-CCCC" } })).status).toBe(403);
    const demote = await ann.fetch(`/api/console/organization/members/${annMember.id}`, { method: "PATCH", json: { role: "member" } });
    expect(demote.status).toBe(400);
    expect((await demote.json()).error.fields.role).toMatch(/at least one admin/);
    const badLimit = await ann.fetch(`/api/console/organization/members/${benMember.id}`, { method: "PATCH", json: { limits: { day: "-3" } } });
    expect(badLimit.status).toBe(400);
    expect((await badLimit.json()).error.fields.day).toBeTruthy();
    // The member sees only themselves.
    expect((await json<{ data: { email: string }[] }>(await ben.fetch("/api/console/organization/members"))).data.map((m) => m.email)).toEqual([
      "ben@example.com",
    ]);
  });

  it("lets a member leave: their organization key stops working and the console falls back to their personal account", async () => {
    const me = (await json<{ data: { id: string }[] }>(await ben.fetch("/api/console/organization/members"))).data[0];
    expect((await ben.fetch(`/api/console/organization/members/${me.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(keys.benOrg)).status).toBe(401);
    // Acting on the personal account again: the organization's keys are out of sight.
    expect((await json<{ data: { name: string }[] }>(await ben.fetch("/api/console/keys"))).data).toEqual([]);
    expect((await ben.fetch("/api/console/account", { json: { accountId: orgId } })).status).toBe(404);
  });

  it("lets an admin rename the organization and delete it: every key stops, nobody can act on it, its history stays", async () => {
    expect((await ann.fetch("/api/console/organization", { method: "PATCH", json: { name: "x".repeat(65) } })).status).toBe(400);
    expect(
      (await json<{ data: { name: string } }>(await ann.fetch("/api/console/organization", { method: "PATCH", json: { name: "Team Two" } }))).data.name,
    ).toBe("Team Two");
    const unconfirmed = await ann.fetch("/api/console/organization", { method: "DELETE", json: { confirm: "yes" } });
    expect(unconfirmed.status).toBe(400);
    expect((await unconfirmed.json()).error.fields.confirm).toBe("Type DELETE to confirm");
    expect((await call(keys.annOrg)).status).toBe(200);
    expect((await ann.fetch("/api/console/organization", { method: "DELETE", json: { confirm: "DELETE" } })).status).toBe(204);
    expect((await call(keys.annOrg)).status).toBe(401);
    expect((await ann.fetch("/api/console/account", { json: { accountId: orgId } })).status).toBe(404);
    expect((await json<{ data: unknown[] }>(await ann.fetch("/api/console/organizations"))).data).toEqual([]);
    // Acting on her personal account again, with its history; the organization's calls are not hers.
    expect(await activityIds(ann)).toEqual([calls.annPersonal]);
  });

  it("lets the instance admin change how many organizations a person may create, with clear errors; nobody else may", async () => {
    const limits = { createPerUser: 2, joinPerUser: 5, seatsPerOrganization: 50 };
    expect((await ben.fetch("/api/console/admin/organization-limits", { method: "PUT", json: limits })).status).toBe(403);
    // The fixture's first account (dev@example.com) is the instance admin.
    const admin = new ConsoleClient(gw.url);
    expect(await admin.signIn("dev@example.com", PASSWORD)).toBeNull();
    expect((await ann.fetch("/api/console/admin/organization-limits", { method: "PUT", json: limits })).status).toBe(403);
    const bad = await admin.fetch("/api/console/admin/organization-limits", { method: "PUT", json: { ...limits, seatsPerOrganization: -1 } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields.seatsPerOrganization).toBe("Enter 0 or more");
    // Ann created one (deleted ones do not count): with 2 allowed she may create another, then no more.
    await json(await admin.fetch("/api/console/admin/organization-limits", { method: "PUT", json: limits }));
    await json(await ann.fetch("/api/console/organizations", { json: { name: "Second" } }), 201);
    await json(await ann.fetch("/api/console/organizations", { json: { name: "Third" } }), 201);
    expect((await ann.fetch("/api/console/organizations", { json: { name: "Fourth" } })).status).toBe(400);
  });

  /** `npm run cli -- credits:grant --org`, the operator's way to fund an organization. */
  function topUp(organization: string, usd: string) {
    const root = path.resolve(import.meta.dirname, "../..");
    const cli = spawnSync(
      process.execPath,
      [path.join(root, "node_modules/tsx/dist/cli.mjs"), "cli/main.ts", "credits:grant", "--org", organization, "--usd", usd],
      {
        cwd: root,
        env: { ...process.env, ...gw.env },
        encoding: "utf8",
      },
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`granted $${usd}.00 for ${organization}`);
  }
});
