/**
 * The console playground's short-lived keys. The playground calls the gateway's own Chat
 * Completions handler in-process (lib/playground/http), authenticated with a key of the
 * signed-in user, so its calls are billed, rate-limited and recorded like any other, under
 * the key's name. The secret lives only in this process's memory: it is never sent to the
 * browser, it is reused while it has time left, it expires after PLAYGROUND_KEY_TTL_SECONDS
 * (the verifier checks expiry on every call), and sign-out revokes it.
 */
import type { Db } from "../db/client.ts";
import { generateApiKey } from "./api-key-format.ts";

export const PLAYGROUND_KEY_PURPOSE = "playground";
const DEFAULT_TTL_MS = 15 * 60_000;

/** PLAYGROUND_KEY_TTL_SECONDS (default 900): how long a playground key lives. */
export function playgroundKeyTtlMs(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const seconds = Number(env.PLAYGROUND_KEY_TTL_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_TTL_MS;
}

export type PlaygroundKey = { id: string; secret: string; hash: string; expiresAt: Date };

function playgroundKeyName(expiresAt: Date): string {
  return `Playground (expires ${expiresAt.toISOString().slice(11, 16)} UTC)`;
}

/**
 * Mints a key for the user that expires after `ttlMs`, and soft-deletes the user's
 * playground keys that have expired (activity keeps their name; the rows stay).
 */
export async function mintPlaygroundKey(db: Db, userId: string, now: Date, ttlMs: number, membershipId: string | null = null): Promise<PlaygroundKey> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const { key, hash, start } = generateApiKey();
  const [, row] = await db.$transaction([
    db.apiKey.updateMany({ where: { userId, purpose: PLAYGROUND_KEY_PURPOSE, deletedAt: null, expiresAt: { lte: now } }, data: { deletedAt: now } }),
    db.apiKey.create({ data: { userId, membershipId, hash, start, name: playgroundKeyName(expiresAt), expiresAt, purpose: PLAYGROUND_KEY_PURPOSE } }),
  ]);
  return { id: row.id, secret: key, hash, expiresAt };
}

/**
 * Revokes every playground key of the person (at sign-out): their personal account's and the ones
 * they minted in organizations. Returns their hashes for the verifier's cache.
 */
export async function revokePlaygroundKeys(db: Db, userId: string, now: Date): Promise<string[]> {
  const theirs = { purpose: PLAYGROUND_KEY_PURPOSE, revokedAt: null, OR: [{ userId }, { membership: { userId } }] };
  const live = await db.apiKey.findMany({ where: { ...theirs, deletedAt: null }, select: { hash: true } });
  if (live.length === 0) return [];
  await db.apiKey.updateMany({ where: theirs, data: { revokedAt: now } });
  return live.map((row) => row.hash);
}

export type PlaygroundKeyringOptions = {
  db: Db;
  now?: () => number;
  ttlMs?: number;
  /** called with the hashes of revoked keys, so the verifier drops them from its cache */
  onRevoked?: (hashes: string[]) => void;
};

/**
 * One secret per user per process, reused until it is within a quarter of its lifetime
 * (at most a minute) of expiring, so a conversation never starts a call on a key about to
 * lapse. Concurrent first calls (the side-by-side compare) share one mint.
 */
export function createPlaygroundKeyring(options: PlaygroundKeyringOptions) {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? playgroundKeyTtlMs();
  const renewMarginMs = Math.min(60_000, ttlMs / 4);
  const keys = new Map<string, PlaygroundKey>();
  const minting = new Map<string, Promise<PlaygroundKey>>();

  /** The person's key in an account: their own (`userId` alone), or an organization's with their `membershipId`. */
  async function keyFor(userId: string, membershipId: string | null = null): Promise<PlaygroundKey> {
    const slot = `${userId}\u0000${membershipId ?? ""}`;
    const held = keys.get(slot);
    if (held && held.expiresAt.getTime() - now() > renewMarginMs) return held;
    let pending = minting.get(slot);
    if (!pending) {
      pending = mintPlaygroundKey(options.db, userId, new Date(now()), ttlMs, membershipId)
        .then((key) => {
          keys.set(slot, key);
          return key;
        })
        .finally(() => minting.delete(slot));
      minting.set(slot, pending);
    }
    return pending;
  }

  async function revokeFor(userId: string): Promise<void> {
    keys.delete(`${userId}\u0000`);
    const hashes = await revokePlaygroundKeys(options.db, userId, new Date(now()));
    // Their organization slots too: a slot holding a revoked key would be handed out again.
    for (const [slot, key] of keys) if (hashes.includes(key.hash)) keys.delete(slot);
    if (hashes.length > 0) options.onRevoked?.(hashes);
  }

  return { keyFor, revokeFor };
}

export type PlaygroundKeyring = ReturnType<typeof createPlaygroundKeyring>;
