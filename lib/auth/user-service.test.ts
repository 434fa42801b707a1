import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { ValidationError } from "../errors/validation-error";
import { createUser, findOrCreateOAuthUser, verifyCredentials } from "./user-service";

describe("user service", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      beforeAll(async () => {
        t = await createTestDatabase(kind);
      });
      afterAll(async () => t?.drop());

      it("makes exactly one admin when the first sign-ups race", async () => {
        const users = await Promise.all(
          Array.from({ length: 6 }, (_, i) => createUser(t.db, { email: `racer${i}@example.com`, password: "long enough password" })),
        );
        expect(users.filter((u) => u.role === "admin")).toHaveLength(1);
        expect(await t.db.user.count()).toBe(6);
      });

      it("stores an argon2id hash and a lower-case email, never the password", async () => {
        await createUser(t.db, { email: "  Mixed.Case@Example.com ", password: "long enough password" });
        const row = await t.db.user.findUniqueOrThrow({ where: { email: "mixed.case@example.com" } });
        expect(row.passwordHash).toMatch(/^\$argon2id\$/);
        expect(row.passwordHash).not.toContain("long enough password");
        expect(await verifyCredentials(t.db, "MIXED.case@example.com", "long enough password")).toMatchObject({ email: "mixed.case@example.com" });
        expect(await verifyCredentials(t.db, "mixed.case@example.com", "wrong password")).toBeNull();
        expect(await verifyCredentials(t.db, "nobody@example.com", "long enough password")).toBeNull();
      });

      it("refuses weak passwords and duplicate emails, writing nothing", async () => {
        const before = await t.db.user.count();
        await expect(createUser(t.db, { email: "weak@example.com", password: "short" })).rejects.toBeInstanceOf(ValidationError);
        await expect(createUser(t.db, { email: "racer0@example.com", password: "long enough password" })).rejects.toMatchObject({
          fields: { email: "An account with this email already exists" },
        });
        expect(await t.db.user.count()).toBe(before);
      });

      it("links an OAuth identity to the account with the same email, once", async () => {
        const identity = { provider: "github", providerAccountId: "42", email: "racer1@example.com", name: "Racer" };
        const first = await findOrCreateOAuthUser(t.db, identity);
        const again = await findOrCreateOAuthUser(t.db, identity);
        expect(again.id).toBe(first.id);
        expect(await t.db.oAuthAccount.count({ where: { userId: first.id } })).toBe(1);
      });
    });
  }
});
