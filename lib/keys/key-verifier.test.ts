import { describe, expect, it, vi } from "vitest";
import { generateApiKey } from "./api-key-format";
import { ApiKeyError } from "../gateway/principal";
import { type KeyStore, type StoredKey } from "./key-types";
import { createKeyVerifier, extractApiKey } from "./key-verifier";

/** An in-memory KeyStore whose rows carry an updatedAt, like the real one. */
function fakeStore() {
  const rows = new Map<string, StoredKey & { updatedAt: Date }>();
  const users = new Map<string, { status: string; updatedAt: Date }>();
  let clock = 1_000_000;
  const store: KeyStore & { lookups: number } = {
    lookups: 0,
    async findByHash(hash) {
      store.lookups++;
      const row = rows.get(hash);
      if (!row) return null;
      const member = row.member ? { ...row.member, personStatus: users.get(row.member.userId)?.status ?? row.member.personStatus } : row.member;
      return { ...row, user: { ...row.user, status: users.get(row.user.id)?.status ?? row.user.status }, member };
    },
    async changesSince(since) {
      const keyHashes = [...rows.values()].filter((r) => r.updatedAt > since).map((r) => r.hash);
      const userIds = [...users.entries()].filter(([, u]) => u.updatedAt > since).map(([id]) => id);
      return { keyHashes, userIds, latest: new Date(clock) };
    },
    touchLastUsed: vi.fn(async () => undefined),
  };
  function add(overrides: Partial<StoredKey> = {}) {
    const { key, hash } = generateApiKey();
    const row = {
      id: `key_${rows.size}`,
      name: "test",
      hash,
      expiresAt: null,
      revokedAt: null,
      deletedAt: null,
      membershipId: null,
      allowedModels: null,
      spendLimitTotalNanoUsd: null,
      spendLimitDayNanoUsd: null,
      spendLimitMonthNanoUsd: null,
      rpmLimit: 5,
      tpmLimit: null,
      user: { id: "user_1", role: "member", status: "active", defaultFallbackModel: null, storeContent: false, rpmLimit: null, tpmLimit: null },
      ...overrides,
      updatedAt: new Date(clock),
    };
    rows.set(hash, row);
    return { key, hash };
  }
  function update(hash: string, patch: Partial<StoredKey>) {
    clock += 10;
    rows.set(hash, { ...rows.get(hash)!, ...patch, updatedAt: new Date(clock) });
  }
  function suspend(userId: string) {
    clock += 10;
    users.set(userId, { status: "suspended", updatedAt: new Date(clock) });
  }
  return { store, add, update, suspend, now: () => clock };
}

describe("extractApiKey", () => {
  it("reads Authorization: Bearer and x-api-key", () => {
    expect(extractApiKey(new Headers({ authorization: "Bearer sk-sy-v1-abc" }))).toBe("sk-sy-v1-abc");
    expect(extractApiKey(new Headers({ authorization: "bearer   sk-sy-v1-abc " }))).toBe("sk-sy-v1-abc");
    expect(extractApiKey(new Headers({ "x-api-key": "sk-sy-v1-xyz" }))).toBe("sk-sy-v1-xyz");
    expect(extractApiKey(new Headers({ authorization: "Basic abc" }))).toBeNull();
    expect(extractApiKey(new Headers())).toBeNull();
  });
});

describe("key verifier", () => {
  it("returns the principal with its limits, and serves repeats from memory", async () => {
    const fake = fakeStore();
    const { key } = fake.add();
    const verifier = createKeyVerifier({ store: fake.store, now: fake.now });
    const principal = await verifier.verify(key);
    expect(principal).toMatchObject({ keyId: "key_0", userId: "user_1", role: "member", rpmLimit: 5 });
    await verifier.verify(key);
    await verifier.verify(key);
    expect(fake.store.lookups).toBe(1);
  });

  it("refuses missing and malformed keys without a lookup", async () => {
    const fake = fakeStore();
    const verifier = createKeyVerifier({ store: fake.store, now: fake.now });
    await expect(verifier.verify(null)).rejects.toMatchObject({ reason: "missing" });
    const { key } = generateApiKey();
    await expect(verifier.verify(key.slice(0, -1) + (key.endsWith("a") ? "b" : "a"))).rejects.toMatchObject({ reason: "malformed" });
    await expect(verifier.verify("sk-live-whatever")).rejects.toBeInstanceOf(ApiKeyError);
    expect(fake.store.lookups).toBe(0);
  });

  it("refuses unknown, revoked, deleted and expired keys, and keys of suspended accounts", async () => {
    const fake = fakeStore();
    const verifier = createKeyVerifier({ store: fake.store, now: fake.now });
    await expect(verifier.verify(generateApiKey().key)).rejects.toMatchObject({ reason: "unknown" });
    await expect(verifier.verify(fake.add({ revokedAt: new Date() }).key)).rejects.toMatchObject({ reason: "revoked" });
    await expect(verifier.verify(fake.add({ deletedAt: new Date() }).key)).rejects.toMatchObject({ reason: "unknown" });
    await expect(verifier.verify(fake.add({ expiresAt: new Date(fake.now() - 1) }).key)).rejects.toMatchObject({ reason: "expired" });
    await expect(
      verifier.verify(
        fake.add({ user: { id: "u2", role: "member", status: "suspended", defaultFallbackModel: null, storeContent: false, rpmLimit: null, tpmLimit: null } })
          .key,
      ),
    ).rejects.toMatchObject({ reason: "suspended" });
  });

  it("notices expiry from the clock alone, with the key still cached", async () => {
    let clock = 5_000;
    const fake = fakeStore();
    const { key } = fake.add({ expiresAt: new Date(6_000) });
    const verifier = createKeyVerifier({ store: fake.store, now: () => clock });
    await expect(verifier.verify(key)).resolves.toBeTruthy();
    clock = 6_000;
    await expect(verifier.verify(key)).rejects.toMatchObject({ reason: "expired" });
    expect(fake.store.lookups).toBe(1);
  });

  it("drops a key revoked elsewhere at the next change-feed poll", async () => {
    const fake = fakeStore();
    const { key, hash } = fake.add();
    const verifier = createKeyVerifier({ store: fake.store, now: fake.now });
    await verifier.verify(key);
    fake.update(hash, { revokedAt: new Date() });
    await expect(verifier.verify(key)).resolves.toBeTruthy(); // cached until the feed says otherwise
    await verifier.pollChanges();
    await expect(verifier.verify(key)).rejects.toMatchObject({ reason: "revoked" });
  });

  it("drops every key of a user suspended elsewhere at the next poll", async () => {
    const fake = fakeStore();
    const a = fake.add();
    const b = fake.add();
    const verifier = createKeyVerifier({ store: fake.store, now: fake.now });
    await verifier.verify(a.key);
    await verifier.verify(b.key);
    fake.suspend("user_1");
    await verifier.pollChanges();
    await expect(verifier.verify(a.key)).rejects.toMatchObject({ reason: "suspended" });
    await expect(verifier.verify(b.key)).rejects.toMatchObject({ reason: "suspended" });
  });

  it("refuses an organization key whose creator was removed, or is suspended as a person, once the feed reports it", async () => {
    const fake = fakeStore();
    const org = { id: "org_1", role: "member", status: "active", defaultFallbackModel: null, storeContent: false, rpmLimit: null, tpmLimit: null };
    const kept = fake.add({ user: org, membershipId: "m_1", member: { userId: "person_1", status: "active", personStatus: "active" } });
    const other = fake.add({ user: org, membershipId: "m_2", member: { userId: "person_2", status: "active", personStatus: "active" } });
    const removed = fake.add({ user: org, membershipId: "m_3", member: { userId: "person_3", status: "removed", personStatus: "active" } });
    const verifier = createKeyVerifier({ store: fake.store, now: fake.now });
    expect(await verifier.verify(kept.key)).toMatchObject({ userId: "org_1", membershipId: "m_1" });
    await verifier.verify(other.key);
    await expect(verifier.verify(removed.key)).rejects.toMatchObject({ reason: "revoked" });
    fake.suspend("person_1");
    await verifier.pollChanges();
    await expect(verifier.verify(kept.key)).rejects.toMatchObject({ reason: "suspended" });
    // The organization's other members are unaffected.
    await expect(verifier.verify(other.key)).resolves.toMatchObject({ membershipId: "m_2" });
  });

  it("applies a change made in this process at once through invalidateHash", async () => {
    const fake = fakeStore();
    const { key, hash } = fake.add({ rpmLimit: 5 });
    const verifier = createKeyVerifier({ store: fake.store, now: fake.now });
    await verifier.verify(key);
    fake.update(hash, { rpmLimit: 50 });
    verifier.invalidateHash(hash);
    expect((await verifier.verify(key)).rpmLimit).toBe(50);
  });

  it("reloads after the TTL even without the feed, and coalesces concurrent lookups", async () => {
    let clock = 0;
    const fake = fakeStore();
    const { key } = fake.add();
    const verifier = createKeyVerifier({ store: fake.store, now: () => clock, cacheTtlMs: 1000 });
    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(key)));
    expect(fake.store.lookups).toBe(1);
    clock = 1001;
    await verifier.verify(key);
    expect(fake.store.lookups).toBe(2);
  });

  it("records last use at most once per interval", async () => {
    let clock = 0;
    const fake = fakeStore();
    const { key } = fake.add();
    const verifier = createKeyVerifier({ store: fake.store, now: () => clock, touchIntervalMs: 60_000 });
    for (let i = 0; i < 10; i++) await verifier.verify(key);
    clock = 60_000;
    await verifier.verify(key);
    expect(fake.store.touchLastUsed).toHaveBeenCalledTimes(2);
  });
});
