/** A stored API key and the storage the verifier reads it from; the principal it becomes is the core's (lib/gateway/principal.ts). */
import type { KeyLimits } from "../gateway/principal.ts";

export type StoredKey = KeyLimits & {
  id: string;
  name: string;
  hash: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  deletedAt: Date | null;
  /** an organization key's creator (their Membership); null for a personal key */
  membershipId: string | null;
  /** that creator: the person (whose suspension stops the key too) and whether they are still a member */
  member?: { userId: string; status: string; personStatus: string } | null;
  /** rpmLimit / tpmLimit here are the account's rate-limit override set by an admin (null: the default) */
  user: {
    id: string;
    role: string;
    status: string;
    defaultFallbackModel: string | null;
    storeContent: boolean;
    rpmLimit: number | null;
    tpmLimit: number | null;
  };
};

/** Storage the verifier needs (implemented over Prisma in key-store.ts; faked in tests). */
export interface KeyStore {
  findByHash(hash: string): Promise<StoredKey | null>;
  /** Hashes (and ids) of keys and ids of users changed after `since` (by their updatedAt). */
  changesSince(since: Date): Promise<{ keyHashes: string[]; keyIds?: string[]; userIds: string[]; latest: Date | null }>;
  /** Record use without touching updatedAt (which would churn the change feed). */
  touchLastUsed(keyId: string, at: Date): Promise<void>;
}
