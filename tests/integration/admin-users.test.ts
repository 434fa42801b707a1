/**
 * The users admin over HTTP, on SQLite and PostgreSQL: the list with balance and spend,
 * suspension stopping a member's key on the next call (and restoring it), role changes
 * that never leave the instance without an admin, balance adjustments through the ledger
 * with a reason, audit rows for each, and members refused on every users API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { verifyLedger } from "@/lib/billing/ledger";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { ConsoleClient } from "@/tests/support/console-client";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

const PASSWORD = "long enough password";
type UserRow = { id: string; email: string; role: string; status: string; balanceUsd: string; spendUsd: string; keys: number; createdAt: string };

const chat = (url: string, key: string) =>
  fetch(`${url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "test/flat", messages: [{ role: "user", content: "Hi" }], max_tokens: 5 }),
  });

describe("users admin", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let gw: GatewayFixture;
      let db: Db;
      let dropTarget: (() => Promise<void>) | undefined;
      let owner: ConsoleClient;
      let member: ConsoleClient;
      let memberId: string;
      let memberKey: string;
      const list = async (): Promise<UserRow[]> => (await (await owner.fetch("/api/console/admin/users")).json()).data;
      const memberRow = async () => (await list()).find((u) => u.id === memberId)!;

      beforeAll(async () => {
        const target = kind === "postgres" ? await createTestTarget("postgres") : null;
        dropTarget = target?.dropTarget;
        gw = await startGatewayFixture({}, target ? { database: target.target } : {});
        db = createDb(gw.dbTarget);
        memberId = (await createUser(db, { email: "member@example.com", password: PASSWORD })).id;
        ({ key: memberKey } = await createApiKey(db, memberId, createApiKeyInputSchema.parse({ name: "member key" }), new Set()));
        owner = new ConsoleClient(gw.url);
        expect(await owner.signIn("dev@example.com", PASSWORD)).toBeNull();
        member = new ConsoleClient(gw.url);
        expect(await member.signIn("member@example.com", PASSWORD)).toBeNull();
      });
      afterAll(async () => {
        await db?.$disconnect();
        await gw?.stop();
        await dropTarget?.();
      });

      it("answers 403 to a member on every users API and page", async () => {
        expect((await member.fetch("/api/console/admin/users")).status).toBe(403);
        expect((await member.fetch(`/api/console/admin/users/${memberId}`, { method: "PATCH", json: { role: "admin" } })).status).toBe(403);
        expect((await member.fetch(`/api/console/admin/users/${memberId}/balance`, { json: { usd: "100", reason: "me" } })).status).toBe(403);
        expect((await member.fetch("/admin/users")).status).toBe(403);
        expect((await db.user.findUniqueOrThrow({ where: { id: memberId } })).role).toBe("member");
      });

      it("lists accounts with balance, spend from the ledger, role, status and keys", async () => {
        expect((await chat(gw.url, memberKey)).status).toBe(200);
        const row = await memberRow();
        expect(row).toMatchObject({ email: "member@example.com", role: "member", status: "active", keys: 1, spendUsd: "0.01", balanceUsd: "4.99" });
        expect((await list()).find((u) => u.email === "dev@example.com")).toMatchObject({ role: "admin", keys: 2 });
      });

      it("stops a suspended account's key on its next call, and restores it", async () => {
        expect((await chat(gw.url, memberKey)).status).toBe(200);
        const suspended = await owner.fetch(`/api/console/admin/users/${memberId}`, { method: "PATCH", json: { status: "suspended" } });
        expect(suspended.status).toBe(200);
        expect((await suspended.json()).data.status).toBe("suspended");
        const refused = await chat(gw.url, memberKey);
        expect(refused.status).toBe(403);
        // A suspended account's console session stops too.
        expect((await member.fetch("/api/console/keys")).status).toBe(401);
        expect((await owner.fetch(`/api/console/admin/users/${memberId}`, { method: "PATCH", json: { status: "active" } })).status).toBe(200);
        expect((await chat(gw.url, memberKey)).status).toBe(200);
        // Restoring the account does not bring its old sessions back: it signs in again.
        expect((await member.fetch("/api/console/keys")).status).toBe(401);
        expect(await member.signIn("member@example.com", PASSWORD)).toBeNull();
        expect((await member.fetch("/api/console/keys")).status).toBe(200);
        const actions = (await db.auditEvent.findMany({ where: { targetId: memberId }, orderBy: { createdAt: "asc" } })).map((e) => e.action);
        expect(actions).toEqual(expect.arrayContaining(["user.suspend", "user.unsuspend"]));
      });

      it("stops the key within about a second when another instance suspends the account (the key cache's change feed)", async () => {
        expect((await chat(gw.url, memberKey)).status).toBe(200);
        // What a second instance's console does: the row changes, this process's cache is not told.
        await db.user.update({ where: { id: memberId }, data: { status: "suspended" } });
        const changedAt = Date.now();
        let status = 200;
        while (status === 200 && Date.now() - changedAt < 5_000) status = (await chat(gw.url, memberKey)).status;
        expect(status).toBe(403);
        await db.user.update({ where: { id: memberId }, data: { status: "active" } });
      });

      it("changes roles, but never leaves the instance without an active admin", async () => {
        const ownerId = (await db.user.findUniqueOrThrow({ where: { email: "dev@example.com" } })).id;
        const lastAdmin = await owner.fetch(`/api/console/admin/users/${ownerId}`, { method: "PATCH", json: { role: "member" } });
        expect(lastAdmin.status).toBe(400);
        expect((await lastAdmin.json()).error.fields.role).toMatch(/without an active admin/);
        const self = await owner.fetch(`/api/console/admin/users/${ownerId}`, { method: "PATCH", json: { status: "suspended" } });
        expect((await self.json()).error.fields.status).toBe("You cannot suspend your own account");
        expect(await db.user.findUniqueOrThrow({ where: { id: ownerId } })).toMatchObject({ role: "admin", status: "active" });

        expect((await owner.fetch(`/api/console/admin/users/${memberId}`, { method: "PATCH", json: { role: "admin" } })).status).toBe(200);
        expect((await member.fetch("/api/console/admin/users")).status).toBe(200);
        // With a second admin, the first may step down.
        expect((await owner.fetch(`/api/console/admin/users/${ownerId}`, { method: "PATCH", json: { role: "member" } })).status).toBe(200);
        expect((await owner.fetch("/api/console/admin/users")).status).toBe(403);
        expect((await member.fetch(`/api/console/admin/users/${ownerId}`, { method: "PATCH", json: { role: "admin" } })).status).toBe(200);
        expect((await member.fetch(`/api/console/admin/users/${memberId}`, { method: "PATCH", json: { role: "member" } })).status).toBe(200);
        const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "user.role", targetId: memberId }, orderBy: { createdAt: "asc" } });
        expect(JSON.parse(audit.before!)).toEqual({ role: "member", status: "active" });
        expect(JSON.parse(audit.after!)).toEqual({ role: "admin", status: "active" });
        const invalid = await owner.fetch(`/api/console/admin/users/${memberId}`, { method: "PATCH", json: { role: "owner" } });
        expect((await invalid.json()).error.fields.role).toBe("Role must be admin or member");
      });

      it("lets only one of two admins demoting each other at the same moment succeed", async () => {
        const ownerId = (await db.user.findUniqueOrThrow({ where: { email: "dev@example.com" } })).id;
        // Several rounds: each is a race, and a check that only counted would lose some of them.
        for (let round = 0; round < 8; round++) {
          await db.user.updateMany({ where: { id: { in: [ownerId, memberId] } }, data: { role: "admin", status: "active" } });
          const [a, b] = await Promise.all([
            owner.fetch(`/api/console/admin/users/${memberId}`, { method: "PATCH", json: { role: "member" } }),
            member.fetch(`/api/console/admin/users/${ownerId}`, { method: "PATCH", json: { role: "member" } }),
          ]);
          // The loser is refused as the last admin (400), or, when the winner committed before its
          // request was even authorised, as no longer an admin (403).
          const statuses = [a.status, b.status].sort();
          expect(statuses[0], `round ${round}`).toBe(200);
          expect([400, 403], `round ${round}`).toContain(statuses[1]);
          expect(await db.user.count({ where: { role: "admin", status: "active" } }), `round ${round}`).toBe(1);
        }
        await db.user.update({ where: { id: ownerId }, data: { role: "admin" } });
        await db.user.update({ where: { id: memberId }, data: { role: "member" } });
      });

      it("adjusts a balance through the ledger with a reason, and refuses bad amounts without saving", async () => {
        const before = await db.user.findUniqueOrThrow({ where: { id: memberId } });
        const entries = await db.ledgerEntry.count({ where: { userId: memberId } });
        for (const [body, field] of [
          [{ usd: "0", reason: "x" }, "usd"],
          [{ usd: "abc", reason: "x" }, "usd"],
          [{ usd: "5" }, "reason"],
          [{ usd: "5", reason: "  " }, "reason"],
        ] as const) {
          const response = await owner.fetch(`/api/console/admin/users/${memberId}/balance`, { json: body });
          expect(response.status).toBe(400);
          expect((await response.json()).error.fields).toHaveProperty(field);
        }
        expect(await db.ledgerEntry.count({ where: { userId: memberId } })).toBe(entries);

        const added = await owner.fetch(`/api/console/admin/users/${memberId}/balance`, { json: { usd: "2.50", reason: "Goodwill after an outage" } });
        expect(added.status).toBe(200);
        const taken = await owner.fetch(`/api/console/admin/users/${memberId}/balance`, { json: { usd: "-1", reason: "Correction" } });
        expect((await taken.json()).data.balanceUsd).toBe((Number(before.balanceNanoUsd + 1_500_000_000n) / 1e9).toFixed(2));
        const ledger = await db.ledgerEntry.findMany({ where: { userId: memberId, kind: { in: ["top_up", "adjustment"] } }, orderBy: { createdAt: "asc" } });
        expect(ledger.map((e) => [e.kind, e.amountNanoUsd, e.reason])).toEqual([
          ["top_up", 2_500_000_000n, "Goodwill after an outage"],
          ["adjustment", -1_000_000_000n, "Correction"],
        ]);
        expect((await verifyLedger(db)).mismatches).toEqual([]);
        const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "user.balance_adjust", targetId: memberId }, orderBy: { createdAt: "asc" } });
        expect(JSON.parse(audit.after!)).toMatchObject({ amountUsd: "2.50", reason: "Goodwill after an outage" });
      });
    });
  }
});
