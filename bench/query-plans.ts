/**
 * Why is a query slow? A second Prisma client that logs the SQL it sends, so the bench can
 * run the real lib/ function once more, catch its statements, and ask the database for
 * their plans (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL). The timed
 * runs use lib/db/client.ts's createDb; logging stays out of them.
 */
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import type { DatabaseTarget, Db } from "../lib/db/client.ts";
import { PrismaClient as PostgresPrismaClient } from "../lib/db/generated/postgres/client.ts";
import { PrismaClient as SqlitePrismaClient } from "../lib/db/generated/sqlite/client.ts";

export type CapturedQuery = { sql: string; params: unknown[]; durationMs: number };
export type QueryRecorder = { db: Db; record(run: (db: Db) => Promise<unknown>): Promise<CapturedQuery[]>; close(): Promise<void> };

const QUERY_LOG = { log: [{ emit: "event" as const, level: "query" as const }] };

export function createQueryRecorder(target: DatabaseTarget): QueryRecorder {
  let captured: CapturedQuery[] | null = null;
  const onQuery = (event: { query: string; params: string; duration: number }) => {
    captured?.push({ sql: event.query, params: JSON.parse(event.params) as unknown[], durationMs: event.duration });
  };
  let db: Db;
  if (target.kind === "postgres") {
    const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: target.url }), ...QUERY_LOG });
    client.$on("query", onQuery);
    db = client as unknown as Db;
  } else {
    const client = new SqlitePrismaClient({ adapter: new PrismaLibSql({ url: target.url }), ...QUERY_LOG });
    client.$on("query", onQuery);
    db = client;
  }
  return {
    db,
    async record(run) {
      captured = [];
      try {
        await run(db);
        return captured;
      } finally {
        captured = null;
      }
    },
    close: () => db.$disconnect(),
  };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A parameter as a SQL literal, in the form the database stores it (dates: see bench/activity-seed.ts). */
function literal(value: unknown, kind: DatabaseTarget["kind"]): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return kind === "postgres" ? String(value).toUpperCase() : value ? "1" : "0";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return `ARRAY[${value.map((v) => literal(v, kind)).join(", ")}]`;
  const text = String(value);
  // Prisma sends integers (LIMIT, OFFSET, BigInt columns) as strings.
  if (/^-?\d+$/.test(text)) return text;
  if (kind === "sqlite" && ISO_DATE.test(text)) return `'${text.replace("Z", "+00:00")}'`;
  return `'${text.replaceAll("'", "''")}'`;
}

/** The statement with its parameters written in, so EXPLAIN can run it as plain SQL. */
export function inlineParams(query: CapturedQuery, kind: DatabaseTarget["kind"]): string {
  if (kind === "postgres") return query.sql.replace(/\$(\d+)/g, (_, n: string) => literal(query.params[Number(n) - 1], kind));
  let next = 0;
  return query.sql.replace(/\?/g, () => literal(query.params[next++], kind));
}

/** The plan as text: SQLite's tree indented by depth, PostgreSQL's with actual times and buffers. */
export async function explainQuery(db: Db, kind: DatabaseTarget["kind"], query: CapturedQuery): Promise<string> {
  const sql = inlineParams(query, kind);
  if (kind === "postgres") {
    const rows = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  }
  const rows = await db.$queryRawUnsafe<{ id: number; parent: number; detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`);
  const depth = new Map<number, number>([[0, 0]]);
  return rows
    .map((r) => {
      const d = (depth.get(Number(r.parent)) ?? 0) + 1;
      depth.set(Number(r.id), d);
      return `${"  ".repeat(d - 1)}${r.detail}`;
    })
    .join("\n");
}
