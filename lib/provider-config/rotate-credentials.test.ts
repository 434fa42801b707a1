import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { createCredentialCipher, credentialContext } from "./credential-cipher";
import { rotateCredentials } from "./rotate-credentials";

const OLD = "old-secret-old-secret-old-secret-0123";
const NEW = "new-secret-new-secret-new-secret-4567";

describe("rotateCredentials", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
  });
  afterAll(async () => t?.drop());

  const store = (slug: string, secret: string, credential: string) =>
    t.db.provider.create({
      data: {
        slug,
        name: slug,
        adapter: "openai",
        baseUrl: "https://x.example/v1",
        source: "admin",
        credentialEncrypted: createCredentialCipher(secret).encrypt(credential, credentialContext(slug)),
      },
    });
  const read = async (slug: string, secret: string) =>
    createCredentialCipher(secret).decrypt((await t.db.provider.findUniqueOrThrow({ where: { slug } })).credentialEncrypted!, credentialContext(slug));

  it("re-encrypts every credential under the new secret, audits it, and is safe to run again", async () => {
    await store("a", OLD, "sk-aaaaaaaaaaaaaaaa");
    await store("b", OLD, "sk-bbbbbbbbbbbbbbbb");
    expect(await rotateCredentials(t.db, { from: OLD, to: NEW }, { dryRun: true })).toEqual({ rotated: ["a", "b"], alreadyCurrent: [], unreadable: [] });
    expect(await read("a", OLD)).toBe("sk-aaaaaaaaaaaaaaaa");

    expect(await rotateCredentials(t.db, { from: OLD, to: NEW })).toEqual({ rotated: ["a", "b"], alreadyCurrent: [], unreadable: [] });
    expect(await read("a", NEW)).toBe("sk-aaaaaaaaaaaaaaaa");
    expect(await read("b", NEW)).toBe("sk-bbbbbbbbbbbbbbbb");
    await expect(read("a", OLD)).rejects.toThrow(/another secret/);
    const [event] = await t.db.auditEvent.findMany({ where: { action: "credentials.rotate" } });
    expect(JSON.parse(event.after!)).toEqual({ providers: ["a", "b"], keyId: createCredentialCipher(NEW).keyId });
    expect(await rotateCredentials(t.db, { from: OLD, to: NEW })).toEqual({ rotated: [], alreadyCurrent: ["a", "b"], unreadable: [] });
  });

  it("changes nothing when a credential cannot be read with the old secret", async () => {
    await store("c", "some-third-secret-nobody-knows-000", "sk-cccccccccccccccc");
    await store("d", NEW, "sk-dddddddddddddddd");
    const before = await t.db.provider.findMany({ orderBy: { slug: "asc" } });
    const result = await rotateCredentials(t.db, { from: NEW, to: OLD });
    expect(result.unreadable).toEqual(["c"]);
    expect(await t.db.provider.findMany({ orderBy: { slug: "asc" } })).toEqual(before);
  });
});
