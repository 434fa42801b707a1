import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { createUser } from "../auth/user-service";
import { hashApiKey } from "./api-key-format";
import { createApiKeyInputSchema, updateApiKeyInputSchema } from "./api-key-input";
import { ApiKeyNotFoundError, createApiKey, deleteApiKey, listApiKeys, revokeApiKey, updateApiKey } from "./api-key-service";
import { createPrismaKeyStore } from "./key-store";

const models = new Set(["openai/gpt-4o-mini"]);
const input = (raw: Record<string, unknown>) => createApiKeyInputSchema.parse(raw);

describe("API key service and key store", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      let alice: string;
      let bob: string;
      beforeAll(async () => {
        t = await createTestDatabase(kind);
        alice = (await createUser(t.db, { email: "alice@example.com", password: "long enough password" })).id;
        bob = (await createUser(t.db, { email: "bob@example.com", password: "long enough password" })).id;
      });
      afterAll(async () => t?.drop());

      it("stores only the hash and limits in nano-USD; the store finds the key by hash", async () => {
        const { key, summary } = await createApiKey(
          t.db,
          alice,
          input({ name: "k", spendLimitDayUsd: "2.5", rpmLimit: 3, allowedModels: ["openai/gpt-4o-mini"] }),
          models,
        );
        const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: summary.id } });
        expect(row.hash).toBe(hashApiKey(key));
        expect(Object.values(row).map(String)).not.toContain(key);
        expect(row.spendLimitDayNanoUsd).toBe(2_500_000_000n);
        const stored = await createPrismaKeyStore(t.db).findByHash(hashApiKey(key));
        expect(stored).toMatchObject({ id: summary.id, rpmLimit: 3, allowedModels: ["openai/gpt-4o-mini"], user: { id: alice, status: "active" } });
      });

      it("changes only the fields an update names", async () => {
        const { summary } = await createApiKey(
          t.db,
          alice,
          input({ name: "partial", rpmLimit: 7, spendLimitMonthUsd: "9", allowedModels: ["openai/gpt-4o-mini"] }),
          models,
        );
        const { summary: renamed } = await updateApiKey(t.db, alice, summary.id, updateApiKeyInputSchema.parse({ name: "renamed" }), models);
        expect(renamed).toMatchObject({ name: "renamed", rpmLimit: 7, spendLimitMonthNanoUsd: 9_000_000_000n, allowedModels: ["openai/gpt-4o-mini"] });
        const { summary: cleared } = await updateApiKey(t.db, alice, summary.id, updateApiKeyInputSchema.parse({ rpmLimit: null, allowedModels: [] }), models);
        expect(cleared).toMatchObject({ name: "renamed", rpmLimit: null, spendLimitMonthNanoUsd: 9_000_000_000n, allowedModels: null });
        expect(() => updateApiKeyInputSchema.parse({})).toThrow(/Nothing to change/);
      });

      it("scopes every change to the owner", async () => {
        const { summary } = await createApiKey(t.db, alice, input({ name: "alice-only" }), models);
        await expect(updateApiKey(t.db, bob, summary.id, updateApiKeyInputSchema.parse({ name: "stolen" }), models)).rejects.toBeInstanceOf(
          ApiKeyNotFoundError,
        );
        await expect(revokeApiKey(t.db, bob, summary.id)).rejects.toBeInstanceOf(ApiKeyNotFoundError);
        await expect(deleteApiKey(t.db, bob, summary.id)).rejects.toBeInstanceOf(ApiKeyNotFoundError);
        expect((await listApiKeys(t.db, bob)).map((k) => k.id)).not.toContain(summary.id);
        expect((await listApiKeys(t.db, alice)).find((k) => k.id === summary.id)).toMatchObject({ name: "alice-only", status: "active" });
      });

      it("records last use without moving updatedAt, and the change feed reports revocations", async () => {
        const store = createPrismaKeyStore(t.db);
        const { summary } = await createApiKey(t.db, alice, input({ name: "feed" }), models);
        const before = await t.db.apiKey.findUniqueOrThrow({ where: { id: summary.id } });
        const usedAt = new Date(Date.now() + 5);
        await store.touchLastUsed(summary.id, usedAt);
        const touched = await t.db.apiKey.findUniqueOrThrow({ where: { id: summary.id } });
        expect(touched.lastUsedAt?.getTime()).toBe(usedAt.getTime());
        expect(touched.updatedAt.getTime()).toBe(before.updatedAt.getTime());

        const since = new Date(Date.now() - 1);
        const { hash } = await revokeApiKey(t.db, alice, summary.id);
        const changes = await store.changesSince(since);
        expect(changes.keyHashes).toContain(hash);
      });

      it("soft-deletes: the key leaves the list, the row stays for activity", async () => {
        const { summary } = await createApiKey(t.db, alice, input({ name: "gone" }), models);
        await deleteApiKey(t.db, alice, summary.id);
        expect((await listApiKeys(t.db, alice)).map((k) => k.id)).not.toContain(summary.id);
        const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: summary.id } });
        expect(row.deletedAt).not.toBeNull();
        expect(row.revokedAt).not.toBeNull();
      });
    });
  }
});
