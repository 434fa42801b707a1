/**
 * Fresh databases for tests: a SQLite file in a temporary folder, or a new database on
 * the local PostgreSQL server (dropped afterwards). PostgreSQL tests run when the
 * server answers; with REQUIRE_POSTGRES=1 (as in CI) an unreachable server fails them.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, type Db } from "@/lib/db/client";
import type { DatabaseTarget } from "@/lib/db/database-url";
import { applyMigrations } from "@/lib/db/migrate";
import { createSqliteWriteWorker, sqliteWriteWorkerEnabled, type SqliteWriteWorker } from "@/lib/db/sqlite-write-worker";

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * `newSqliteWriter`: a SQLite write worker on the database, as each server process has one
 * (lib/db/sqlite-write-worker.ts), or null on PostgreSQL and with SQLITE_WRITE_WORKER=off (so
 * a suite can be run on the serving-thread path); `drop` closes the ones it made.
 */
export type TestDatabase = { target: DatabaseTarget; db: Db; newSqliteWriter(): SqliteWriteWorker | null; drop(): Promise<void> };

let postgresReachable: Promise<boolean> | undefined;

export function isPostgresAvailable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (error) {
      if (process.env.REQUIRE_POSTGRES === "1")
        throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL is unreachable at ${POSTGRES_ADMIN_URL}: ${(error as Error).message}`);
      return false;
    }
  })();
  return postgresReachable;
}

/** The database kinds this run can test: always SQLite, PostgreSQL when reachable. */
export async function availableDatabaseKinds(): Promise<DatabaseTarget["kind"][]> {
  return (await isPostgresAvailable()) ? ["sqlite", "postgres"] : ["sqlite"];
}

export async function createTestTarget(kind: DatabaseTarget["kind"]): Promise<{ target: DatabaseTarget; dropTarget(): Promise<void> }> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-test-"));
    const filePath = path.join(dir, "test.db");
    return { target: { kind, url: `file:${filePath}`, filePath }, dropTarget: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `switchyard_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    target: { kind, url: url.toString() },
    dropTarget: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A migrated, empty database with a connected client. */
export async function createTestDatabase(kind: DatabaseTarget["kind"]): Promise<TestDatabase> {
  const { target, dropTarget } = await createTestTarget(kind);
  await applyMigrations(target);
  const db = createDb(target);
  const writers: SqliteWriteWorker[] = [];
  return {
    target,
    db,
    newSqliteWriter() {
      if (target.kind !== "sqlite" || !sqliteWriteWorkerEnabled()) return null;
      const writer = createSqliteWriteWorker({ filePath: target.filePath, busyTimeoutMs: 5000, synchronous: "NORMAL" });
      writers.push(writer);
      return writer;
    },
    drop: async () => {
      await Promise.all(writers.map((writer) => writer.close()));
      await db.$disconnect();
      await dropTarget();
    },
  };
}
