import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { createUser } from "../auth/user-service";
import { hashApiKey } from "./api-key-format";
import { ApiKeyNotFoundError, listApiKeys, revokeApiKey } from "./api-key-service";
import { createPrismaKeyStore } from "./key-store";
import { ApiKeyError } from "../gateway/principal";
import { createKeyVerifier } from "./key-verifier";
import { createPlaygroundKeyring, playgroundKeyTtlMs, PLAYGROUND_KEY_PURPOSE } from "./playground-keys";

const TTL_MS = 10 * 60_000;

/** The keyring and the gateway's verifier on one fake clock, over a real database. */
function setup(t: TestDatabase) {
  let clock = Date.parse("2026-01-01T12:00:00Z");
  const verifier = createKeyVerifier({ store: createPrismaKeyStore(t.db), now: () => clock });
  const keyring = createPlaygroundKeyring({ db: t.db, now: () => clock, ttlMs: TTL_MS, onRevoked: (hashes) => hashes.forEach(verifier.invalidateHash) });
  return { verifier, keyring, advance: (ms: number) => (clock += ms) };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiKeyError);
  return (error as ApiKeyError).reason;
}

describe("playground keys", async () => {
  it("reads the lifetime from PLAYGROUND_KEY_TTL_SECONDS (15 minutes by default)", () => {
    expect(playgroundKeyTtlMs({})).toBe(900_000);
    expect(playgroundKeyTtlMs({ PLAYGROUND_KEY_TTL_SECONDS: "2" })).toBe(2000);
    expect(playgroundKeyTtlMs({ PLAYGROUND_KEY_TTL_SECONDS: "nonsense" })).toBe(900_000);
  });

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

      it("mints one key per user, reused across calls (concurrent first calls share the mint), hidden from the Keys page", async () => {
        const { keyring, verifier } = setup(t);
        const [first, second] = await Promise.all([keyring.keyFor(alice), keyring.keyFor(alice)]);
        expect(second.secret).toBe(first.secret);
        expect((await keyring.keyFor(alice)).secret).toBe(first.secret);
        const rows = await t.db.apiKey.findMany({ where: { userId: alice, purpose: PLAYGROUND_KEY_PURPOSE } });
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ hash: hashApiKey(first.secret), name: expect.stringMatching(/^Playground \(expires \d\d:\d\d UTC\)$/) });
        expect(Object.values(rows[0]).map(String)).not.toContain(first.secret);
        expect((await verifier.verify(first.secret)).userId).toBe(alice);
        expect(await listApiKeys(t.db, alice)).toEqual([]);
        await expect(revokeApiKey(t.db, alice, first.id)).rejects.toBeInstanceOf(ApiKeyNotFoundError);
      });

      it("never hands one user's secret to another", async () => {
        const { keyring, verifier } = setup(t);
        const [forAlice, forBob] = await Promise.all([keyring.keyFor(alice), keyring.keyFor(bob)]);
        expect(forBob.secret).not.toBe(forAlice.secret);
        expect((await verifier.verify(forBob.secret)).userId).toBe(bob);
        expect((await verifier.verify(forAlice.secret)).userId).toBe(alice);
      });

      it("is refused by the gateway's verifier once it expires, even from its cache; the next call mints a fresh one and cleans up the old", async () => {
        const { keyring, verifier, advance } = setup(t);
        const key = await keyring.keyFor(bob);
        expect((await verifier.verify(key.secret)).keyId).toBe(key.id);
        advance(TTL_MS);
        expect(await refusal(verifier.verify(key.secret))).toBe("expired");
        const fresh = await keyring.keyFor(bob);
        expect(fresh.secret).not.toBe(key.secret);
        expect((await verifier.verify(fresh.secret)).keyId).toBe(fresh.id);
        // The expired row stays (activity keeps its name) but is deleted.
        expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).deletedAt).not.toBeNull();
      });

      it("renews before a key gets close to expiring, so no call starts on a key about to lapse", async () => {
        const { keyring, advance } = setup(t);
        const key = await keyring.keyFor(alice);
        advance(TTL_MS - 30_000);
        const renewed = await keyring.keyFor(alice);
        expect(renewed.id).not.toBe(key.id);
        expect(renewed.expiresAt.getTime() - key.expiresAt.getTime()).toBe(TTL_MS - 30_000);
      });

      it("is revoked at sign-out: refused at once, and the next session gets a new key", async () => {
        const { keyring, verifier } = setup(t);
        const key = await keyring.keyFor(alice);
        await verifier.verify(key.secret);
        await keyring.revokeFor(alice);
        expect(await refusal(verifier.verify(key.secret))).toBe("revoked");
        const next = await keyring.keyFor(alice);
        expect(next.secret).not.toBe(key.secret);
        expect((await verifier.verify(next.secret)).userId).toBe(alice);
      });
    });
  }
});
