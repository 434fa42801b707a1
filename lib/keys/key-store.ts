/** The verifier's KeyStore over the database. */
import type { Db } from "../db/client.ts";
import type { KeyStore, StoredKey } from "./key-types.ts";

export function createPrismaKeyStore(db: Db): KeyStore {
  return {
    async findByHash(hash) {
      const row = await db.apiKey.findUnique({
        where: { hash },
        include: {
          user: { select: { id: true, role: true, status: true, defaultFallbackModel: true, storeContent: true, rpmLimit: true, tpmLimit: true } },
          membership: { select: { userId: true, status: true, user: { select: { status: true } } } },
        },
      });
      if (!row) return null;
      const key: StoredKey = {
        id: row.id,
        name: row.name,
        hash: row.hash,
        expiresAt: row.expiresAt,
        revokedAt: row.revokedAt,
        deletedAt: row.deletedAt,
        membershipId: row.membershipId,
        member: row.membership ? { userId: row.membership.userId, status: row.membership.status, personStatus: row.membership.user.status } : null,
        allowedModels: row.allowedModels ? (JSON.parse(row.allowedModels) as string[]) : null,
        spendLimitTotalNanoUsd: row.spendLimitTotalNanoUsd,
        spendLimitDayNanoUsd: row.spendLimitDayNanoUsd,
        spendLimitMonthNanoUsd: row.spendLimitMonthNanoUsd,
        rpmLimit: row.rpmLimit,
        tpmLimit: row.tpmLimit,
        user: row.user,
      };
      return key;
    },
    async changesSince(since) {
      const [keys, users] = await Promise.all([
        db.apiKey.findMany({ where: { updatedAt: { gt: since } }, select: { id: true, hash: true, updatedAt: true } }),
        db.user.findMany({ where: { updatedAt: { gt: since } }, select: { id: true, updatedAt: true } }),
      ]);
      const stamps = [...keys, ...users].map((r) => r.updatedAt.getTime());
      return {
        keyHashes: keys.map((k) => k.hash),
        keyIds: keys.map((k) => k.id),
        userIds: users.map((u) => u.id),
        latest: stamps.length ? new Date(Math.max(...stamps)) : null,
      };
    },
    async touchLastUsed(keyId, at) {
      // Raw SQL: Prisma's update would also bump updatedAt and wake every cache's change feed.
      await db.$executeRaw`UPDATE "ApiKey" SET "lastUsedAt" = ${at} WHERE "id" = ${keyId}`;
    },
  };
}
