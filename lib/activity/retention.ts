/**
 * Raw activity rows older than LOG_RETENTION_DAYS (default 90) are purged; the hourly
 * rollups stay, so usage charts keep their history. Stored request and response bodies
 * (opt-in) go sooner: after CONTENT_RETENTION_DAYS (default 7).
 */
import type { Db } from "../db/client.ts";

export type RetentionPolicy = { days: number; contentDays: number };

function daysFrom(value: string | undefined, fallback: number): number {
  const days = Number(value ?? fallback);
  return Number.isFinite(days) && days >= 1 ? Math.floor(days) : fallback;
}

export function retentionPolicy(env: Readonly<Record<string, string | undefined>> = process.env): RetentionPolicy {
  const days = daysFrom(env.LOG_RETENTION_DAYS, 90);
  // Content never outlives the row it belongs to.
  return { days, contentDays: Math.min(days, daysFrom(env.CONTENT_RETENTION_DAYS, 7)) };
}

export async function purgeOldActivity(db: Db, policy: RetentionPolicy, now = new Date()): Promise<{ generations: number; contents: number; cutoff: Date }> {
  const cutoff = new Date(now.getTime() - policy.days * 86_400_000);
  const contentCutoff = new Date(now.getTime() - Math.min(policy.contentDays, policy.days) * 86_400_000);
  // Children first: cascades are not something every SQLite connection enforces.
  const [contents, , generations] = await db.$transaction([
    db.generationContent.deleteMany({ where: { createdAt: { lt: contentCutoff } } }),
    db.generationAttempt.deleteMany({ where: { generation: { createdAt: { lt: cutoff } } } }),
    db.generation.deleteMany({ where: { createdAt: { lt: cutoff } } }),
  ]);
  return { generations: generations.count, contents: contents.count, cutoff };
}
