/**
 * Applies the SQL migrations in prisma/migrations/<sqlite|postgres>/ in name order,
 * each once, each in its own transaction, recorded in _switchyard_migrations with a
 * checksum so an edited, already-applied migration is refused rather than skipped.
 *
 * Prisma's own migrate needs a native engine downloaded at run time, which
 * self-hosted and offline installs can't rely on; plain SQL keeps migrations
 * reviewable and the runner small. Several processes may start at once: PostgreSQL
 * serialises them with an advisory lock, SQLite with BEGIN IMMEDIATE.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createClient as createLibsqlClient } from "@libsql/client";
import pg from "pg";
import type { DatabaseTarget } from "./database-url.ts";

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationResult = { applied: string[]; alreadyApplied: number };

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");
const LEDGER_TABLE = "_switchyard_migrations";
/** Arbitrary constant shared by every Switchyard instance: the advisory lock's id. */
const PG_MIGRATION_LOCK_ID = 727_001;

export function readMigrations(kind: DatabaseTarget["kind"], dir = MIGRATIONS_DIR): Migration[] {
  const folder = path.join(dir, kind);
  return readdirSync(folder)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => {
      // Names are spliced into SQLite's migration script (executeMultiple takes no parameters).
      if (!/^[A-Za-z0-9_-]+\.sql$/.test(file)) throw new Error(`migration file name "${file}" must match [A-Za-z0-9_-]+.sql`);
      const sql = readFileSync(path.join(folder, file), "utf8");
      return { name: file.replace(/\.sql$/, ""), sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export async function applyMigrations(target: DatabaseTarget, migrations = readMigrations(target.kind)): Promise<MigrationResult> {
  return target.kind === "postgres" ? applyPostgres(target.url, migrations) : applySqlite(target.filePath, migrations);
}

function checkApplied(migrations: Migration[], applied: Map<string, string>): Migration[] {
  for (const [name, checksum] of applied) {
    const local = migrations.find((m) => m.name === name);
    if (!local) throw new Error(`the database has migration "${name}", which this version of Switchyard does not know; is it older than the database?`);
    if (local.checksum !== checksum) throw new Error(`migration "${name}" was changed after it was applied; add a new migration instead of editing it`);
  }
  return migrations.filter((m) => !applied.has(m.name));
}

async function applySqlite(filePath: string, migrations: Migration[]): Promise<MigrationResult> {
  mkdirSync(path.dirname(filePath), { recursive: true });
  const client = createLibsqlClient({ url: `file:${filePath}`, timeout: 15_000 });
  try {
    // WAL lets the console read while the gateway writes; it is a property of the file.
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute(`CREATE TABLE IF NOT EXISTS "${LEDGER_TABLE}" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`);
    const appliedNow: string[] = [];
    let alreadyApplied = 0;
    for (;;) {
      const rows = await client.execute(`SELECT "name", "checksum" FROM "${LEDGER_TABLE}"`);
      const applied = new Map(rows.rows.map((r) => [String(r.name), String(r.checksum)]));
      alreadyApplied = applied.size - appliedNow.length;
      const next = checkApplied(migrations, applied)[0];
      if (!next) break;
      // BEGIN IMMEDIATE takes the write lock; re-check inside it in case another process won the race.
      const script = `BEGIN IMMEDIATE;
        ${next.sql}
        INSERT INTO "${LEDGER_TABLE}" ("name", "checksum", "appliedAt") VALUES ('${next.name}', '${next.checksum}', '${new Date().toISOString()}');
        COMMIT;`;
      const exists = await client.execute({ sql: `SELECT 1 FROM "${LEDGER_TABLE}" WHERE "name" = ?`, args: [next.name] });
      if (exists.rows.length > 0) continue;
      try {
        await client.executeMultiple(script);
      } catch (error) {
        await client.execute("ROLLBACK").catch(() => undefined);
        const raced = await client.execute({ sql: `SELECT 1 FROM "${LEDGER_TABLE}" WHERE "name" = ?`, args: [next.name] });
        if (raced.rows.length > 0) continue;
        throw new Error(`migration "${next.name}" failed: ${(error as Error).message}`);
      }
      appliedNow.push(next.name);
    }
    return { applied: appliedNow, alreadyApplied };
  } finally {
    client.close();
  }
}

async function applyPostgres(url: string, migrations: Migration[]): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PG_MIGRATION_LOCK_ID]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${LEDGER_TABLE}" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const rows = await client.query<{ name: string; checksum: string }>(`SELECT "name", "checksum" FROM "${LEDGER_TABLE}"`);
    const applied = new Map(rows.rows.map((r) => [r.name, r.checksum]));
    const pending = checkApplied(migrations, applied);
    for (const migration of pending) {
      try {
        await client.query("BEGIN");
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${LEDGER_TABLE}" ("name", "checksum") VALUES ($1, $2)`, [migration.name, migration.checksum]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new Error(`migration "${migration.name}" failed: ${(error as Error).message}`);
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.size };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PG_MIGRATION_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
