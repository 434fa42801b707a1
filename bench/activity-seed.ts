/**
 * Fills a migrated database with bench/activity-data.ts's synthetic traffic, fast: the
 * accounts and keys through Prisma, then the generation, attempt and rollup rows as
 * multi-row INSERTs on a raw driver connection, one transaction per simulated day.
 * Rollups come from lib/activity/usage-rollups.ts's aggregate() over the same records,
 * so they agree with the raw rows as the gateway's writer keeps them; daily rollups are
 * then filled from them by migration 0010's own backfill statement. Days are
 * hour-aligned, so no rollup group spans two transactions.
 *
 * For speed the secondary indexes of the three big tables are dropped during the load
 * and rebuilt from their own definitions afterwards (and PostgreSQL skips the per-row
 * foreign-key triggers): a fresh index is a little denser than one grown row by row,
 * which at this size changes little. ANALYZE (and VACUUM on PostgreSQL) runs last.
 */
import { createHash } from "node:crypto";
import { createClient } from "@libsql/client";
import pg from "pg";
import { aggregate } from "../lib/activity/usage-rollups.ts";
import { dailyRollupBackfillSql } from "../tests/support/daily-rollup-backfill.ts";
import type { DatabaseTarget, Db } from "../lib/db/client.ts";
import {
  createRecordMaker,
  createRng,
  cuidLike,
  hourlyCounts,
  keyPreferences,
  randomId,
  weightedPicker,
  type AccountSpec,
  type Rng,
  type SyntheticRecord,
} from "./activity-data.ts";

export type SeedOptions = { rows: number; days: number; now: number; seed?: number; log: (line: string) => void };
export type SeededData = {
  heavyUserId: string;
  heavyKeyIds: string[];
  /** the heavy account's calls per provider and per model, for picking filter values */
  heavyProviders: Map<string, number>;
  heavyModels: Map<string, number>;
  generations: number;
  attempts: number;
  rollups: number;
  seedSeconds: number;
  analyzeSeconds: number;
};

const OTHER_ACCOUNTS = 20;
const HEAVY_SHARE = 0.7;
const HEAVY_KEY_WEIGHTS = [40, 25, 15, 12, 8];
const ROWS_PER_INSERT = 500;

type Dialect = { date(d: Date): string; bool(b: boolean): string };
// Stored as Prisma's driver adapters store them: ISO text with +00:00 in SQLite, timestamp(3) in PostgreSQL.
const SQLITE: Dialect = { date: (d) => `'${d.toISOString().replace("Z", "+00:00")}'`, bool: (b) => (b ? "1" : "0") };
const POSTGRES: Dialect = { date: (d) => `'${d.toISOString().slice(0, 23).replace("T", " ")}'`, bool: (b) => (b ? "TRUE" : "FALSE") };

const BULK_TABLES = ["Generation", "GenerationAttempt", "UsageRollup"];
const tableList = BULK_TABLES.map((t) => `'${t}'`).join(", ");

type RawConnection = {
  dialect: Dialect;
  run(sql: string): Promise<void>;
  /** Drops the bulk tables' secondary indexes and returns the statements that recreate them. */
  dropIndexes(): Promise<string[]>;
  analyze(): Promise<void>;
  close(): Promise<void>;
};

async function openRaw(target: DatabaseTarget): Promise<RawConnection> {
  if (target.kind === "sqlite") {
    const client = createClient({ url: target.url });
    // Safe for a throw-away bench file only: a crash mid-seed may corrupt it.
    await client.executeMultiple("PRAGMA synchronous = OFF; PRAGMA cache_size = -500000; PRAGMA temp_store = MEMORY;");
    return {
      dialect: SQLITE,
      run: (sql) => client.executeMultiple(sql),
      async dropIndexes() {
        const found = await client.execute(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tableList})`);
        await client.executeMultiple(found.rows.map((r) => `DROP INDEX "${String(r.name)}";`).join("\n"));
        return found.rows.map((r) => String(r.sql));
      },
      analyze: () => client.executeMultiple("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);"),
      close: async () => client.close(),
    };
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  await client.query("SET synchronous_commit = off; SET maintenance_work_mem = '512MB'");
  // Foreign keys hold by construction; skipping their per-row triggers needs a superuser, so it is best effort.
  await client.query("SET session_replication_role = replica").catch(() => undefined);
  return {
    dialect: POSTGRES,
    run: async (sql) => void (await client.query(sql)),
    async dropIndexes() {
      const found = await client.query<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (${tableList}) AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
      );
      await client.query(found.rows.map((r) => `DROP INDEX "${r.indexname}";`).join("\n"));
      return found.rows.map((r) => r.indexdef);
    },
    // VACUUM as autovacuum would on a live insert-only table: it sets the visibility map index-only scans use.
    async analyze() {
      await client.query("RESET session_replication_role");
      await client.query(`VACUUM ANALYZE "Generation", "GenerationAttempt", "UsageRollup", "UsageDailyRollup", "ApiKey", "User"`);
    },
    close: () => client.end(),
  };
}

const text = (s: string | null): string => (s === null ? "NULL" : `'${s.replaceAll("'", "''")}'`);
const num = (n: number | bigint | null): string => (n === null ? "NULL" : String(n));

function inserts(table: string, columns: string[], rows: string[]): string[] {
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES\n`;
  const statements: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) statements.push(head + rows.slice(i, i + ROWS_PER_INSERT).join(",\n"));
  return statements;
}

const GENERATION_COLUMNS = [
  "id",
  "userId",
  "apiKeyId",
  "api",
  "requestedModel",
  "modelSlug",
  "providerSlug",
  "endpointId",
  "streamed",
  "status",
  "httpStatus",
  "errorType",
  "errorMessage",
  "finishReason",
  "promptTokens",
  "completionTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "reasoningTokens",
  "costNanoUsd",
  "costBreakdown",
  "ttftMs",
  "latencyMs",
  "throughput",
  "createdAt",
];
const ATTEMPT_COLUMNS = [
  "id",
  "generationId",
  "seq",
  "providerSlug",
  "endpointId",
  "status",
  "httpStatus",
  "errorType",
  "errorMessage",
  "durationMs",
  "served",
  "startedAt",
];
const ROLLUP_COLUMNS = [
  "id",
  "hour",
  "userId",
  "apiKeyId",
  "modelSlug",
  "providerSlug",
  "requests",
  "errors",
  "promptTokens",
  "completionTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "reasoningTokens",
  "costNanoUsd",
  "ttftMsSum",
  "ttftCount",
  "latencyMsSum",
  "throughputSum",
  "throughputCount",
];

/** One day's rows as a single transaction: generations, their attempts, their rollups. */
function dayScript(records: SyntheticRecord[], d: Dialect, rng: Rng): { sql: string; attempts: number; rollups: number } {
  const generations = records.map((r) =>
    [
      text(r.id),
      text(r.userId),
      text(r.apiKeyId),
      text(r.api),
      text(r.requestedModel),
      text(r.modelSlug),
      text(r.providerSlug),
      text(r.endpointId),
      d.bool(r.streamed),
      text(r.status),
      num(r.httpStatus),
      text(r.errorType),
      text(r.errorMessage),
      text(r.finishReason),
      num(r.promptTokens),
      num(r.completionTokens),
      num(r.cacheReadTokens),
      num(r.cacheWriteTokens),
      num(r.reasoningTokens),
      num(r.costNanoUsd),
      text(r.costBreakdown),
      num(r.ttftMs),
      num(r.latencyMs),
      num(r.throughput),
      d.date(r.createdAt),
    ].join(", "),
  );
  const attempts = records.flatMap((r) =>
    r.attempts.map((a) =>
      [
        text(cuidLike(rng)),
        text(r.id),
        num(a.seq),
        text(a.providerSlug),
        text(a.endpointId),
        text(a.status),
        num(a.httpStatus),
        text(a.errorType),
        text(a.errorMessage),
        num(a.durationMs),
        d.bool(a.served),
        d.date(a.startedAt),
      ].join(", "),
    ),
  );
  const rollups = aggregate(records).map(({ key: k, sums: s }) =>
    [
      text(cuidLike(rng)),
      d.date(k.hour),
      text(k.userId),
      text(k.apiKeyId),
      text(k.modelSlug),
      text(k.providerSlug),
      num(s.requests),
      num(s.errors),
      num(s.promptTokens),
      num(s.completionTokens),
      num(s.cacheReadTokens),
      num(s.cacheWriteTokens),
      num(s.reasoningTokens),
      num(s.costNanoUsd),
      num(s.ttftMsSum),
      num(s.ttftCount),
      num(s.latencyMsSum),
      num(s.throughputSum),
      num(s.throughputCount),
    ].join(", "),
  );
  const statements = [
    ...inserts(
      "Generation",
      GENERATION_COLUMNS,
      generations.map((v) => `(${v})`),
    ),
    ...inserts(
      "GenerationAttempt",
      ATTEMPT_COLUMNS,
      attempts.map((v) => `(${v})`),
    ),
    ...inserts(
      "UsageRollup",
      ROLLUP_COLUMNS,
      rollups.map((v) => `(${v})`),
    ),
  ];
  return { sql: `BEGIN;\n${statements.join(";\n")};\nCOMMIT;`, attempts: attempts.length, rollups: rollups.length };
}

/** The heavy account (70% of calls over 5 keys) and 20 others sharing the rest unevenly, 1–3 keys each. */
async function createAccounts(db: Db, rng: Rng): Promise<AccountSpec[]> {
  const accounts: AccountSpec[] = [];
  const otherWeights = Array.from({ length: OTHER_ACCOUNTS }, (_, i) => 1 / (i + 1) ** 0.8);
  const otherTotal = otherWeights.reduce((a, b) => a + b, 0);
  for (let i = 0; i <= OTHER_ACCOUNTS; i++) {
    const heavy = i === 0;
    const user = await db.user.create({
      data: { email: heavy ? "heavy@bench.example" : `user-${String(i).padStart(2, "0")}@bench.example`, name: heavy ? "Heavy Account" : `User ${i}` },
    });
    const keyWeights = heavy ? HEAVY_KEY_WEIGHTS : Array.from({ length: 1 + Math.floor(rng() * 3) }, () => 1);
    const keys = [];
    for (const [n] of keyWeights.entries()) {
      const secret = randomId(rng, "sk-sy-v1-", 32);
      const key = await db.apiKey.create({
        data: {
          userId: user.id,
          name: n === 0 ? "production" : `service-${n}`,
          hash: createHash("sha256").update(secret).digest("hex"),
          start: secret.slice(0, 13),
        },
      });
      keys.push({ id: key.id, pickModel: keyPreferences(rng) });
    }
    const share = heavy ? HEAVY_SHARE : ((1 - HEAVY_SHARE) * otherWeights[i - 1]) / otherTotal;
    accounts.push({ id: user.id, share, keys, pickKey: weightedPicker(keys, keyWeights, rng) });
  }
  return accounts;
}

export async function seedActivity(db: Db, target: DatabaseTarget, options: SeedOptions): Promise<SeededData> {
  const started = performance.now();
  const rng = createRng(options.seed ?? 20_251_122);
  const accounts = await createAccounts(db, rng);
  const heavy = accounts[0];
  const makeRecord = createRecordMaker(
    rng,
    weightedPicker(
      accounts,
      accounts.map((a) => a.share),
      rng,
    ),
  );
  const heavyProviders = new Map<string, number>();
  const heavyModels = new Map<string, number>();
  const totals = { generations: 0, attempts: 0, rollups: 0 };
  const raw = await openRaw(target);
  try {
    const indexes = await raw.dropIndexes();
    const slots = hourlyCounts(options.rows, options.days * 24, options.now);
    let pending: Promise<void> = Promise.resolve();
    for (let first = 0; first < slots.length; first += 24) {
      const records: SyntheticRecord[] = [];
      for (const slot of slots.slice(first, first + 24)) {
        const times = Array.from({ length: slot.count }, () => slot.start + Math.floor(rng() * (slot.end - slot.start))).sort((a, b) => a - b);
        for (const t of times) records.push(makeRecord(new Date(t)));
      }
      for (const r of records) {
        if (r.userId !== heavy.id) continue;
        if (r.providerSlug) heavyProviders.set(r.providerSlug, (heavyProviders.get(r.providerSlug) ?? 0) + 1);
        if (r.modelSlug) heavyModels.set(r.modelSlug, (heavyModels.get(r.modelSlug) ?? 0) + 1);
      }
      const day = dayScript(records, raw.dialect, rng);
      // The next day is generated while the database writes this one (PostgreSQL works in its own process).
      await pending;
      pending = raw.run(day.sql);
      totals.generations += records.length;
      totals.attempts += day.attempts;
      totals.rollups += day.rollups;
      if ((first / 24) % 5 === 4)
        options.log(`  ${totals.generations.toLocaleString("en")} generations sent (${Math.round((performance.now() - started) / 1000)} s)`);
    }
    await pending;
    options.log(`  rebuilding ${indexes.length} indexes`);
    await raw.run(indexes.join(";\n"));
    // Daily rollups from the hourly ones, as migration 0010 backfills them (seeding days are not UTC days).
    options.log("  filling the daily rollups");
    await raw.run(dailyRollupBackfillSql(target.kind));
    const seedSeconds = (performance.now() - started) / 1000;
    await raw.analyze();
    const analyzeSeconds = (performance.now() - started) / 1000 - seedSeconds;
    return { heavyUserId: heavy.id, heavyKeyIds: heavy.keys.map((k) => k.id), heavyProviders, heavyModels, ...totals, seedSeconds, analyzeSeconds };
  } finally {
    await raw.close();
  }
}
