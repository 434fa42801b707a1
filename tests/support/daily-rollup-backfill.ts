/**
 * The statement migration 0010 uses to fill UsageDailyRollup from UsageRollup, read from
 * the migration file itself: the rollup test runs it against rows Prisma wrote (so the
 * backfill's day format is proven equal to the writer's), and the benchmark's seed uses it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { DatabaseTarget } from "@/lib/db/database-url";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");

export function dailyRollupBackfillSql(kind: DatabaseTarget["kind"]): string {
  const sql = readFileSync(path.join(MIGRATIONS, kind, "0010_usage_daily_rollups.sql"), "utf8");
  const start = sql.indexOf('INSERT INTO "UsageDailyRollup"');
  if (start < 0) throw new Error(`migration 0010 (${kind}) has no backfill statement`);
  return sql.slice(start, sql.indexOf(";", start));
}
