/**
 * The libsql client Prisma's SQLite adapter uses, with this server's durability setting on
 * every pooled connection. `synchronous` is per connection and libsql opens connections
 * lazily, so the pool itself sets it on each new one.
 *
 * NORMAL (the default here) in WAL mode: a commit is durable across a crash of the
 * process (the WAL is in the OS's page cache), and the database is never corrupted; a
 * power loss or OS crash can lose the commits since the last WAL sync, which SQLite does
 * at each checkpoint (every ~1000 pages of WAL). FULL syncs the WAL on every commit.
 * SQLITE_SYNCHRONOUS=FULL chooses it (README, "Durability").
 */
import type { Client } from "@libsql/client";
import { ConnectionPool, Sqlite3Client } from "@libsql/client/sqlite3";
import { PrismaLibSql } from "@prisma/adapter-libsql";

export type SqliteSynchronous = "NORMAL" | "FULL";

export function sqliteSynchronous(env: Readonly<Record<string, string | undefined>> = process.env): SqliteSynchronous {
  const value = env.SQLITE_SYNCHRONOUS?.trim().toUpperCase();
  if (!value || value === "NORMAL") return "NORMAL";
  if (value === "FULL") return "FULL";
  throw new Error(`SQLITE_SYNCHRONOUS must be NORMAL or FULL, got "${env.SQLITE_SYNCHRONOUS}"`);
}

/** The same pool size as libsql's default client. */
const MAX_CONNECTIONS = 20;

class TunedConnectionPool extends ConnectionPool {
  readonly #tuned = new WeakSet<object>();
  readonly #pragmas: string;

  constructor(filePath: string, timeoutMs: number, pragmas: string) {
    super(filePath, { timeout: timeoutMs }, MAX_CONNECTIONS);
    this.#pragmas = pragmas;
  }

  override acquireSync(forTransaction?: boolean) {
    const db = super.acquireSync(forTransaction);
    if (!this.#tuned.has(db)) {
      db.exec(this.#pragmas);
      this.#tuned.add(db);
    }
    return db;
  }
}

class TunedPrismaLibSql extends PrismaLibSql {
  constructor(
    private readonly filePath: string,
    private readonly timeoutMs: number,
    private readonly synchronous: SqliteSynchronous,
  ) {
    super({ url: `file:${filePath}`, timeout: timeoutMs });
  }

  override createClient(): Client {
    return new Sqlite3Client(new TunedConnectionPool(this.filePath, this.timeoutMs, `PRAGMA synchronous = ${this.synchronous}`), "number");
  }
}

export function createSqliteAdapter(filePath: string, timeoutMs: number, synchronous: SqliteSynchronous = sqliteSynchronous()): PrismaLibSql {
  return new TunedPrismaLibSql(filePath, timeoutMs, synchronous);
}
