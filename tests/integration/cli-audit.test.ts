/**
 * Every CLI command that changes money, keys, users or provider credentials writes the
 * audit row the console writes for the same change, with the CLI (and the OS user that
 * ran it) as the actor; the admin audit listing names it readably. Through the real CLI
 * (`cli/main.ts` in a child process), on SQLite and PostgreSQL.
 */
import { spawnSync } from "node:child_process";
import { userInfo } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeAuditActor } from "@/lib/audit/audit-actor-label";
import { listAuditEvents } from "@/lib/audit/audit-log";
import { createDb, type Db } from "@/lib/db/client";
import { createCredentialCipher, credentialContext } from "@/lib/provider-config/credential-cipher";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OLD_SECRET = "old-secret-old-secret-old-secret-0123";
const NEW_SECRET = "new-secret-new-secret-new-secret-4567";

for (const kind of await availableDatabaseKinds()) {
  describe(`CLI audit rows (${kind})`, () => {
    let db: Db;
    let url: string;
    let drop: () => Promise<void>;
    const cli = (args: string[], env: Record<string, string> = {}) => {
      const run = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "cli/main.ts", ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, TRIAL_CREDIT_USD: "0", ...env },
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout;
    };
    const osUser = userInfo().username;

    beforeAll(async () => {
      const created = await createTestTarget(kind);
      url = created.target.url;
      drop = created.dropTarget;
      cli(["user:create", "--email", "ops@example.com", "--password", "correct horse battery"]);
      db = createDb(created.target);
    }, 120_000);
    afterAll(async () => {
      await db?.$disconnect();
      await drop?.();
    });

    it("user:create writes user.create with the CLI as actor", async () => {
      const event = await db.auditEvent.findFirstOrThrow({ where: { action: "user.create" } });
      expect(event).toMatchObject({ actorKind: "cli", actorName: osUser, actorId: null, actorEmail: null, targetType: "user", targetLabel: "ops@example.com" });
      expect(JSON.parse(event.after!)).toMatchObject({ email: "ops@example.com", role: "admin" });
      expect(event.after).not.toContain("correct horse");
    });

    it("credits:grant writes the console's credit.top_up row (balance before and after), and --adjust credit.adjustment", async () => {
      cli(["credits:grant", "--email", "ops@example.com", "--usd", "12.50", "--reason", "invoice 42"]);
      cli(["credits:grant", "--email", "ops@example.com", "--usd=-2.5", "--adjust", "--reason", "refund correction"]);
      const [topUp] = await db.auditEvent.findMany({ where: { action: "credit.top_up" } });
      expect(topUp).toMatchObject({ actorKind: "cli", actorName: osUser, targetType: "user", targetLabel: "ops@example.com" });
      expect(JSON.parse(topUp.before!)).toEqual({ balanceUsd: "0.00" });
      expect(JSON.parse(topUp.after!)).toEqual({ balanceUsd: "12.50", amountUsd: "12.50", reason: "invoice 42" });
      const [adjustment] = await db.auditEvent.findMany({ where: { action: "credit.adjustment" } });
      expect(JSON.parse(adjustment.after!)).toEqual({ balanceUsd: "10.00", amountUsd: "-2.50", reason: "refund correction" });
      // The ledger entry has no console user behind it.
      const entries = await db.ledgerEntry.findMany({ where: { kind: { in: ["top_up", "adjustment"] } } });
      expect(entries.map((e) => e.actorId)).toEqual([null, null]);
    });

    it("key:create and key:revoke write key.create and key.revoke, never the key or its hash", async () => {
      const key = cli(["key:create", "--email", "ops@example.com", "--name", "deploy"]).trim();
      const row = await db.apiKey.findFirstOrThrow({ where: { name: "deploy" } });
      cli(["key:revoke", "--id", row.id]);
      const events = await db.auditEvent.findMany({ where: { targetType: "api_key" }, orderBy: { createdAt: "asc" } });
      expect(events.map((e) => [e.action, e.actorKind, e.targetId, e.targetLabel])).toEqual([
        ["key.create", "cli", row.id, "deploy (ops@example.com)"],
        ["key.revoke", "cli", row.id, "deploy (ops@example.com)"],
      ]);
      expect(JSON.parse(events[1].after!)).toMatchObject({ status: "revoked", start: row.start });
      for (const e of events) {
        expect(`${e.before}${e.after}`).not.toContain(key);
        expect(`${e.before}${e.after}`).not.toContain(row.hash);
      }
    });

    it("credentials:rotate records the CLI as actor", async () => {
      await db.provider.create({
        data: {
          slug: "rot",
          name: "rot",
          adapter: "openai",
          baseUrl: "https://x.example/v1",
          source: "admin",
          credentialEncrypted: createCredentialCipher(OLD_SECRET).encrypt("sk-rotrotrotrotrot", credentialContext("rot")),
        },
      });
      cli(["credentials:rotate"], { OLD_CREDENTIALS_SECRET: OLD_SECRET, NEW_CREDENTIALS_SECRET: NEW_SECRET });
      const event = await db.auditEvent.findFirstOrThrow({ where: { action: "credentials.rotate" } });
      expect(event).toMatchObject({ actorKind: "cli", actorName: osUser });
    });

    it("the audit listing names the CLI readably", async () => {
      const { data } = await listAuditEvents(db);
      expect(data.length).toBe(6);
      expect(new Set(data.map((e) => describeAuditActor(e)))).toEqual(new Set([`CLI (${osUser})`]));
    });
  });
}
