import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTarget } from "@/tests/support/test-database";
import type { DatabaseTarget } from "./database-url";
import { applyMigrations } from "./migrate";
import { createDb } from "./client";
import { createSqliteAdapter, sqliteSynchronous } from "./sqlite-client";
import { PrismaClient } from "./generated/sqlite/client";

type SqliteTarget = Extract<DatabaseTarget, { kind: "sqlite" }>;
const levelOf = async (db: { $queryRawUnsafe(sql: string): Promise<unknown> }) =>
  Number(((await db.$queryRawUnsafe("PRAGMA synchronous")) as { synchronous: number | bigint }[])[0].synchronous);
const NORMAL = 1;
const FULL = 2;

describe("SQLite durability setting", () => {
  let target: SqliteTarget;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createTestTarget("sqlite");
    target = created.target as SqliteTarget;
    drop = created.dropTarget;
    await applyMigrations(target);
  });
  afterAll(() => drop());

  it("reads SQLITE_SYNCHRONOUS: NORMAL unless FULL is asked for; anything else is refused", () => {
    expect(sqliteSynchronous({})).toBe("NORMAL");
    expect(sqliteSynchronous({ SQLITE_SYNCHRONOUS: " full " })).toBe("FULL");
    expect(() => sqliteSynchronous({ SQLITE_SYNCHRONOUS: "OFF" })).toThrow(/NORMAL or FULL/);
  });

  it("runs in WAL with synchronous=NORMAL by default, in and out of transactions", async () => {
    const db = createDb(target);
    try {
      expect(((await db.$queryRawUnsafe("PRAGMA journal_mode")) as { journal_mode: string }[])[0].journal_mode).toBe("wal");
      expect([await levelOf(db), await db.$transaction((tx) => levelOf(tx))]).toEqual([NORMAL, NORMAL]);
    } finally {
      await db.$disconnect();
    }
  });

  it("sets it on each connection the pool opens, not just the first", async () => {
    const client = createSqliteAdapter(target.filePath, 5000).createClient({ url: target.url });
    try {
      // An open transaction holds one connection, so the statement beside it gets a second.
      const tx = await client.transaction("write");
      const inside = Number((await tx.execute("PRAGMA synchronous")).rows[0].synchronous);
      const beside = Number((await client.execute("PRAGMA synchronous")).rows[0].synchronous);
      await tx.rollback();
      expect([inside, beside]).toEqual([NORMAL, NORMAL]);
    } finally {
      client.close();
    }
  });

  it("uses FULL on every connection when chosen", async () => {
    const db = new PrismaClient({ adapter: createSqliteAdapter(target.filePath, 5000, "FULL") });
    try {
      expect([await levelOf(db), await db.$transaction((tx) => levelOf(tx))]).toEqual([FULL, FULL]);
    } finally {
      await db.$disconnect();
    }
  });
});
