/**
 * The Prisma client for the configured database. One per process (cached on globalThis
 * so Next's dev reloads don't open a connection per edit).
 *
 * Both generated clients come from the same schema (scripts/prisma-generate.mjs), so the
 * PostgreSQL one is typed as the SQLite one: the shared surface is identical.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgres/client.ts";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client.ts";
import { resolveDatabaseTarget, type DatabaseTarget } from "./database-url.ts";
import { createSqliteAdapter } from "./sqlite-client.ts";

export type Db = SqlitePrismaClient;
export type { DatabaseTarget };

/** How long a SQLite write waits for the lock held by another connection or process. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

export function createDb(target: DatabaseTarget): Db {
  if (target.kind === "postgres") {
    const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: target.url }) });
    return client as unknown as Db;
  }
  return new SqlitePrismaClient({ adapter: createSqliteAdapter(target.filePath, SQLITE_BUSY_TIMEOUT_MS) });
}

const globalForDb = globalThis as unknown as { switchyardDb?: { url: string; db: Db } };

/** The process-wide client for DATABASE_URL. */
export function getDb(): Db {
  const target = resolveDatabaseTarget(process.env.DATABASE_URL);
  const cached = globalForDb.switchyardDb;
  if (cached && cached.url === target.url) return cached.db;
  const db = createDb(target);
  globalForDb.switchyardDb = { url: target.url, db };
  return db;
}

/** True when the database answers a trivial query within `timeoutMs`. */
export async function pingDb(db: Db, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.$queryRawUnsafe("SELECT 1").then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
