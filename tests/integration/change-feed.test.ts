/**
 * Console changes reach every instance of a shared database through the change feed
 * (PostgreSQL LISTEN/NOTIFY, SQLite's data_version poll), with no database read per
 * request in between: two real servers on one database, a change written by a third
 * process (as the CLI or another instance's console would), and the other server must
 * apply it long before any safety-net expiry (keys 60 s, settings 60 s) could.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey, revokeApiKeyById } from "@/lib/keys/api-key-service";
import { updateRateLimitSettings } from "@/lib/settings/rate-limit-settings";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

/** Far below the caches' 60 s safety nets: only the feed can make a check pass in time. */
const FEED_DEADLINE_MS = 5_000;

const chat = (url: string, key: string) =>
  fetch(`${url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "test/chat", messages: [{ role: "user", content: "Hello" }] }),
  });

async function statusOf(url: string, key: string): Promise<number> {
  const response = await chat(url, key);
  await response.arrayBuffer();
  return response.status;
}

/** Retries `check` until it holds or FEED_DEADLINE_MS passed; true when it held. */
async function holdsWithinFeedDeadline(check: () => Promise<boolean>): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started < FEED_DEADLINE_MS) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe("changes reach every instance", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let gw: GatewayFixture;
      let other: SwitchyardProcess;
      let db: Db;
      let dropTarget: (() => Promise<void>) | undefined;

      beforeAll(async () => {
        const target = kind === "postgres" ? await createTestTarget("postgres") : undefined;
        dropTarget = target?.dropTarget;
        gw = await startGatewayFixture({}, target ? { database: target.target } : {});
        other = await startSwitchyard(gw.env);
        db = createDb(gw.dbTarget);
      }, 180_000);
      afterAll(async () => {
        await db?.$disconnect();
        await other?.stop();
        await gw?.stop();
        await dropTarget?.();
      });

      const newKey = async (userId = gw.userId) =>
        (await createApiKey(db, userId, createApiKeyInputSchema.parse({ name: `feed ${Math.random()}` }), new Set())).key;

      it("refuses a key on both instances soon after another process revoked it", async () => {
        const { key, summary } = await createApiKey(db, gw.userId, createApiKeyInputSchema.parse({ name: "revoked elsewhere" }), new Set());
        // Both servers have verified (and cached) the key.
        expect([await statusOf(gw.url, key), await statusOf(other.url, key)]).toEqual([200, 200]);
        await revokeApiKeyById(db, summary.id, null);
        // Each instance polls (SQLite) or listens (PostgreSQL) on its own clock: one may apply
        // the change up to a poll interval after the other, so each gets the same deadline.
        expect(await holdsWithinFeedDeadline(async () => (await statusOf(other.url, key)) === 401)).toBe(true);
        expect(await holdsWithinFeedDeadline(async () => (await statusOf(gw.url, key)) === 401)).toBe(true);
      });

      it("refuses every key of an account soon after it was suspended", async () => {
        const user = await createUser(db, { email: `suspended-${kind}@example.com`, password: "long enough password" });
        const key = await newKey(user.id);
        expect(await statusOf(other.url, key)).toBe(200);
        await db.user.update({ where: { id: user.id }, data: { status: "suspended" } });
        expect(await holdsWithinFeedDeadline(async () => (await statusOf(other.url, key)) === 403)).toBe(true);
      });

      it("applies a rate-limit setting saved elsewhere", async () => {
        const key = await newKey();
        // No account limit yet: a few calls pass on the other instance (and its settings are cached).
        expect([await statusOf(other.url, key), await statusOf(other.url, key), await statusOf(other.url, key)]).toEqual([200, 200, 200]);
        await updateRateLimitSettings(db, { account: { rpm: 1, tpm: null }, families: [] }, { id: gw.userId, email: "dev@example.com" });
        expect(await holdsWithinFeedDeadline(async () => (await statusOf(other.url, key)) === 429)).toBe(true);
        await updateRateLimitSettings(db, { account: { rpm: null, tpm: null }, families: [] }, { id: gw.userId, email: "dev@example.com" });
        expect(await holdsWithinFeedDeadline(async () => (await statusOf(other.url, key)) === 200)).toBe(true);
      });
    });
  }
});
