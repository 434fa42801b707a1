/**
 * Raw activity rows older than LOG_RETENTION_DAYS (default 90) are purged; the hourly
 * rollups stay, so usage charts keep their history.
 */
import type { Db } from "../db/client.ts";

export function retentionDays(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const days = Number(env.LOG_RETENTION_DAYS ?? 90);
  return Number.isFinite(days) && days >= 1 ? Math.floor(days) : 90;
}

export async function purgeOldActivity(db: Db, days: number, now = new Date()): Promise<{ generations: number; cutoff: Date }> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  // Attempts first: cascades are not something every SQLite connection enforces.
  const [, generations] = await db.$transaction([
    db.generationAttempt.deleteMany({ where: { generation: { createdAt: { lt: cutoff } } } }),
    db.generation.deleteMany({ where: { createdAt: { lt: cutoff } } }),
  ]);
  return { generations: generations.count, cutoff };
}
