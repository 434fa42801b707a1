/**
 * Key string → Principal, without a database read in the steady state.
 *
 * Verified keys are cached by hash. Staleness is bounded two ways: `pollChanges`, which the
 * change feed calls when a key or user row changed anywhere (keys and users whose updatedAt
 * moved are evicted, so a revocation by another process or the CLI lands as soon as the
 * feed reports it), and a TTL as a safety net. Changes made through this process call
 * `invalidate*` and apply at once.
 * Expiry needs no feed: it is checked against the clock on every call.
 */
import { hashApiKey, isWellFormedApiKey } from "./api-key-format.ts";
import { ApiKeyError, type Principal } from "../gateway/principal.ts";
import { type KeyStore, type StoredKey } from "./key-types.ts";

export type KeyVerifierOptions = {
  store: KeyStore;
  now?: () => number;
  cacheTtlMs?: number;
  /** how long an unknown (but well-formed) key is remembered as unknown */
  negativeTtlMs?: number;
  /** lastUsedAt is written at most this often per key */
  touchIntervalMs?: number;
  maxEntries?: number;
  onError?: (error: Error) => void;
  /** told the ids of keys that changed anywhere, at each change-feed round (billing gives back their leases) */
  onKeysChanged?: (keyIds: string[]) => void;
};

type Entry = { key: StoredKey | null; loadedAt: number };

/** Feed timestamps come from writers' clocks; re-reading a small overlap costs nothing. */
const FEED_OVERLAP_MS = 2000;

export function extractApiKey(headers: { get(name: string): string | null }): string | null {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1].trim();
  }
  // x-goog-api-key: Google's SDKs and Gemini CLI send the key there (the Gemini surface).
  return headers.get("x-api-key")?.trim() || headers.get("x-goog-api-key")?.trim() || null;
}

export function createKeyVerifier(options: KeyVerifierOptions) {
  const { store } = options;
  const now = options.now ?? Date.now;
  const cacheTtlMs = options.cacheTtlMs ?? 60_000;
  const negativeTtlMs = options.negativeTtlMs ?? 5_000;
  const touchIntervalMs = options.touchIntervalMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 50_000;
  const onError = options.onError ?? ((error: Error) => console.error(`api key cache: ${error.message}`));

  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<StoredKey | null>>();
  const lastTouched = new Map<string, number>();
  let feedCursor = new Date(now() - FEED_OVERLAP_MS);

  async function load(hash: string): Promise<StoredKey | null> {
    const cached = cache.get(hash);
    const ttl = cached?.key ? cacheTtlMs : negativeTtlMs;
    if (cached && now() - cached.loadedAt < ttl) return cached.key;
    let pending = inflight.get(hash);
    if (!pending) {
      pending = store.findByHash(hash).then((key) => {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
        cache.set(hash, { key, loadedAt: now() });
        return key;
      });
      pending.finally(() => inflight.delete(hash)).catch(() => undefined);
      inflight.set(hash, pending);
    }
    return pending;
  }

  function toPrincipal(key: StoredKey): Principal {
    return {
      keyId: key.id,
      keyName: key.name,
      userId: key.user.id,
      membershipId: key.membershipId,
      role: key.user.role === "admin" ? "admin" : "member",
      expiresAt: key.expiresAt,
      defaultFallbackModel: key.user.defaultFallbackModel,
      storeContent: key.user.storeContent,
      accountRpmLimit: key.user.rpmLimit,
      accountTpmLimit: key.user.tpmLimit,
      allowedModels: key.allowedModels,
      spendLimitTotalNanoUsd: key.spendLimitTotalNanoUsd,
      spendLimitDayNanoUsd: key.spendLimitDayNanoUsd,
      spendLimitMonthNanoUsd: key.spendLimitMonthNanoUsd,
      rpmLimit: key.rpmLimit,
      tpmLimit: key.tpmLimit,
    };
  }

  function touch(key: StoredKey) {
    const at = now();
    if (at - (lastTouched.get(key.id) ?? -Infinity) < touchIntervalMs) return;
    lastTouched.set(key.id, at);
    store.touchLastUsed(key.id, new Date(at)).catch((error: Error) => onError(error));
  }

  async function verify(rawKey: string | null): Promise<Principal> {
    if (!rawKey) throw new ApiKeyError("missing");
    if (!isWellFormedApiKey(rawKey)) throw new ApiKeyError("malformed");
    const key = await load(hashApiKey(rawKey));
    if (!key || key.deletedAt) throw new ApiKeyError("unknown");
    if (key.revokedAt) throw new ApiKeyError("revoked");
    if (key.expiresAt && key.expiresAt.getTime() <= now()) throw new ApiKeyError("expired");
    if (key.user.status !== "active") throw new ApiKeyError("suspended");
    // An organization key also stops with its creator: removed from the organization, or suspended as a person.
    if (key.member && key.member.status !== "active") throw new ApiKeyError("revoked");
    if (key.member && key.member.personStatus !== "active") throw new ApiKeyError("suspended");
    touch(key);
    return toPrincipal(key);
  }

  function invalidateHash(hash: string) {
    cache.delete(hash);
  }

  function invalidateUser(userId: string) {
    for (const [hash, entry] of cache) if (entry.key?.user.id === userId || entry.key?.member?.userId === userId) cache.delete(hash);
  }

  /** Evicts the keys and users that changed since the last round (the change feed calls it). */
  async function pollChanges(): Promise<void> {
    const since = new Date(feedCursor.getTime() - FEED_OVERLAP_MS);
    const changes = await store.changesSince(since);
    changes.keyHashes.forEach(invalidateHash);
    changes.userIds.forEach(invalidateUser);
    if (changes.keyIds?.length) options.onKeysChanged?.(changes.keyIds);
    if (changes.latest && changes.latest > feedCursor) feedCursor = changes.latest;
  }

  return { verify, invalidateHash, invalidateUser, pollChanges, cacheSize: () => cache.size };
}

export type KeyVerifier = ReturnType<typeof createKeyVerifier>;
