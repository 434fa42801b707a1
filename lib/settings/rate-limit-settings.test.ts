import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { createUser } from "../auth/user-service";
import { createApiKeyInputSchema } from "../keys/api-key-input";
import { createApiKey } from "../keys/api-key-service";
import { hashApiKey } from "../keys/api-key-format";
import { createPrismaKeyStore } from "../keys/key-store";
import { ValidationError } from "../errors/validation-error";
import { listAccountRateLimits, setAccountRateLimit } from "./account-rate-limits";
import { DEFAULT_RATE_LIMIT_SETTINGS, readRateLimitSettings, updateRateLimitSettings } from "./rate-limit-settings";

const fieldsOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fields;
};

describe("rate-limit settings and account overrides", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      let admin: { id: string; email: string };
      beforeAll(async () => {
        t = await createTestDatabase(kind);
        const user = await createUser(t.db, { email: "admin@example.com", password: "long enough password" });
        admin = { id: user.id, email: user.email };
      });
      afterAll(async () => t?.drop());

      it("starts from the seed FAQ's family defaults and saves a change with its audit row", async () => {
        expect(await readRateLimitSettings(t.db)).toEqual(DEFAULT_RATE_LIMIT_SETTINGS);
        const saved = await updateRateLimitSettings(
          t.db,
          { account: { rpm: "300", tpm: "" }, families: [{ name: "Claude", patterns: ["anthropic/claude-*"], rpm: 100, tpm: "50000" }] },
          admin,
        );
        expect(saved).toEqual({ account: { rpm: 300, tpm: null }, families: [{ name: "Claude", patterns: ["anthropic/claude-*"], rpm: 100, tpm: 50_000 }] });
        expect(await readRateLimitSettings(t.db)).toEqual(saved);
        const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "rate_limits.update" } });
        expect(audit).toMatchObject({ actorEmail: "admin@example.com", targetId: "rateLimits" });
        expect(JSON.parse(audit.before!).families).toHaveLength(3);
        expect(JSON.parse(audit.after!).account.rpm).toBe(300);
      });

      it("refuses bad input field by field and saves nothing", async () => {
        const before = await readRateLimitSettings(t.db);
        const fields = await fieldsOf(
          updateRateLimitSettings(
            t.db,
            {
              account: { rpm: -1, tpm: "lots" },
              families: [
                { name: "A", patterns: ["ok/*"], rpm: 1.5, tpm: null },
                { name: "a", patterns: ["bad pattern!"], rpm: null, tpm: null },
                { name: "", patterns: [], rpm: null, tpm: null },
              ],
            },
            admin,
          ),
        );
        expect(Object.keys(fields).sort()).toEqual(
          ["account.rpm", "account.tpm", "families.0.rpm", "families.1.patterns.0", "families.2.name", "families.2.patterns"].sort(),
        );
        const duplicate = { name: "GPT", patterns: ["openai/*"], rpm: 1, tpm: null };
        expect(
          await fieldsOf(updateRateLimitSettings(t.db, { account: { rpm: null, tpm: null }, families: [duplicate, { ...duplicate, name: "gpt" }] }, admin)),
        ).toEqual({ "families.1.name": "Another family is already called gpt" });
        expect(await readRateLimitSettings(t.db)).toEqual(before);
      });

      it("sets an account's override by email, which the key store carries to the gateway, and clears it", async () => {
        const member = await createUser(t.db, { email: "member@example.com", password: "long enough password" });
        const { key } = await createApiKey(t.db, member.id, createApiKeyInputSchema.parse({ name: "k" }), new Set());
        expect(await setAccountRateLimit(t.db, { email: " Member@Example.com ", rpm: "7", tpm: "" }, admin)).toEqual({
          userId: member.id,
          email: "member@example.com",
          rpm: 7,
          tpm: null,
        });
        expect((await createPrismaKeyStore(t.db).findByHash(hashApiKey(key)))?.user).toMatchObject({ rpmLimit: 7, tpmLimit: null });
        expect(await listAccountRateLimits(t.db)).toEqual([{ userId: member.id, email: "member@example.com", rpm: 7, tpm: null }]);
        expect(await t.db.auditEvent.findFirstOrThrow({ where: { action: "user.rate_limits.update" } })).toMatchObject({
          targetId: member.id,
          targetLabel: "member@example.com",
          after: JSON.stringify({ rpm: 7, tpm: null }),
        });
        await setAccountRateLimit(t.db, { email: "member@example.com", rpm: null, tpm: null }, admin);
        expect(await listAccountRateLimits(t.db)).toEqual([]);
        expect(await fieldsOf(setAccountRateLimit(t.db, { email: "nobody@example.com", rpm: 1, tpm: null }, admin))).toEqual({
          email: "No account has this email",
        });
      });
    });
  }
});
