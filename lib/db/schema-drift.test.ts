/**
 * The drift check: both databases, migrated from their own SQL files, must have exactly
 * the tables, columns, keys, indexes and foreign keys that prisma/schema.prisma declares.
 * Editing the schema without a migration for each database (or the reverse) fails here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "@libsql/client";
import internals from "@prisma/internals";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";
import type { DatabaseTarget } from "./database-url";
import { applyMigrations } from "./migrate";

type Column = { type: string; nullable: boolean };
type TableShape = { columns: Record<string, Column>; primaryKey: string[]; uniques: string[]; indexes: string[]; foreignKeys: string[] };
type DbShape = Record<string, TableShape>;

const SCHEMA_PATH = path.resolve(import.meta.dirname, "../../prisma/schema.prisma");
const PRISMA_TYPES: Record<string, string> = {
  String: "string",
  Int: "int",
  BigInt: "bigint",
  Boolean: "boolean",
  DateTime: "datetime",
  Float: "float",
  Bytes: "bytes",
};
const SQLITE_TYPES: Record<string, string> = {
  TEXT: "string",
  INTEGER: "int",
  BIGINT: "bigint",
  BOOLEAN: "boolean",
  DATETIME: "datetime",
  REAL: "float",
  BLOB: "bytes",
};
const POSTGRES_TYPES: Record<string, string> = {
  text: "string",
  integer: "int",
  bigint: "bigint",
  boolean: "boolean",
  "timestamp without time zone": "datetime",
  "double precision": "float",
  bytea: "bytes",
};
const ON_DELETE: Record<string, string> = { Cascade: "cascade", SetNull: "setnull", CASCADE: "cascade", "SET NULL": "setnull", c: "cascade", n: "setnull" };
const INTERNAL_TABLES = new Set(["_switchyard_migrations", "_switchyard_changes"]);

async function expectedShape(): Promise<DbShape> {
  const dmmf = await internals.getDMMF({ datamodel: readFileSync(SCHEMA_PATH, "utf8") });
  const shape: DbShape = {};
  for (const model of dmmf.datamodel.models) {
    const table: TableShape = { columns: {}, primaryKey: [], uniques: [], indexes: [], foreignKeys: [] };
    for (const field of model.fields) {
      if (field.kind === "scalar") table.columns[field.name] = { type: PRISMA_TYPES[field.type] ?? `?${field.type}`, nullable: !field.isRequired };
      if (field.kind === "object" && field.relationFromFields?.length) {
        const target = dmmf.datamodel.models.find((m) => m.name === field.type)!;
        table.foreignKeys.push(
          `${field.relationFromFields.join(",")}->${target.dbName ?? target.name}:${ON_DELETE[String(field.relationOnDelete)] ?? field.relationOnDelete}`,
        );
      }
    }
    shape[model.dbName ?? model.name] = table;
  }
  for (const index of dmmf.datamodel.indexes) {
    const table = shape[dmmf.datamodel.models.find((m) => m.name === index.model)!.name];
    const columns = index.fields.map((f) => f.name).join(",");
    if (index.type === "id") table.primaryKey = index.fields.map((f) => f.name);
    else if (index.type === "unique") table.uniques.push(columns);
    else table.indexes.push(columns);
  }
  return normalise(shape);
}

function normalise(shape: DbShape): DbShape {
  for (const table of Object.values(shape)) {
    table.uniques.sort();
    table.indexes.sort();
    table.foreignKeys.sort();
  }
  return shape;
}

async function sqliteShape(filePath: string): Promise<DbShape> {
  const client = createClient({ url: `file:${filePath}` });
  const shape: DbShape = {};
  const tables = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  for (const { name } of tables.rows) {
    const tableName = String(name);
    if (INTERNAL_TABLES.has(tableName)) continue;
    const table: TableShape = { columns: {}, primaryKey: [], uniques: [], indexes: [], foreignKeys: [] };
    const columns = await client.execute(`PRAGMA table_info("${tableName}")`);
    for (const c of columns.rows) {
      table.columns[String(c.name)] = { type: SQLITE_TYPES[String(c.type)] ?? `?${c.type}`, nullable: Number(c.notnull) === 0 };
      if (Number(c.pk) > 0) table.primaryKey[Number(c.pk) - 1] = String(c.name);
    }
    const indexes = await client.execute(`PRAGMA index_list("${tableName}")`);
    for (const index of indexes.rows) {
      if (String(index.origin) === "pk") continue;
      const info = await client.execute(`PRAGMA index_info("${String(index.name)}")`);
      const cols = info.rows.map((r) => String(r.name)).join(",");
      (Number(index.unique) === 1 ? table.uniques : table.indexes).push(cols);
    }
    const fks = await client.execute(`PRAGMA foreign_key_list("${tableName}")`);
    for (const fk of fks.rows) table.foreignKeys.push(`${String(fk.from)}->${String(fk.table)}:${ON_DELETE[String(fk.on_delete)] ?? fk.on_delete}`);
    shape[tableName] = table;
  }
  client.close();
  return normalise(shape);
}

async function postgresShape(url: string): Promise<DbShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const shape: DbShape = {};
  const columns = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public'",
  );
  for (const c of columns.rows) {
    if (INTERNAL_TABLES.has(c.table_name)) continue;
    shape[c.table_name] ??= { columns: {}, primaryKey: [], uniques: [], indexes: [], foreignKeys: [] };
    shape[c.table_name].columns[c.column_name] = { type: POSTGRES_TYPES[c.data_type] ?? `?${c.data_type}`, nullable: c.is_nullable === "YES" };
  }
  const indexes = await client.query<{ table: string; unique: boolean; primary: boolean; columns: string[] }>(`
    SELECT t.relname AS "table", ix.indisunique AS "unique", ix.indisprimary AS "primary",
           array_agg(a.attname::text ORDER BY k.n) AS "columns"
    FROM pg_index ix
    JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_namespace ns ON ns.oid = t.relnamespace AND ns.nspname = 'public'
    JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n) ON true
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    GROUP BY ix.indexrelid, t.relname, ix.indisunique, ix.indisprimary`);
  for (const index of indexes.rows) {
    const table = shape[index.table];
    if (!table) continue;
    if (index.primary) table.primaryKey = index.columns;
    else (index.unique ? table.uniques : table.indexes).push(index.columns.join(","));
  }
  const fks = await client.query<{ table: string; target: string; columns: string[]; on_delete: string }>(`
    SELECT c.conrelid::regclass::text AS "table", c.confrelid::regclass::text AS "target", c.confdeltype AS "on_delete",
           array_agg(a.attname::text ORDER BY k.n) AS "columns"
    FROM pg_constraint c
    JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n) ON true
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    WHERE c.contype = 'f' GROUP BY c.oid, c.conrelid, c.confrelid, c.confdeltype`);
  for (const fk of fks.rows) {
    const table = shape[fk.table.replace(/"/g, "")];
    if (table) table.foreignKeys.push(`${fk.columns.join(",")}->${fk.target.replace(/"/g, "")}:${ON_DELETE[fk.on_delete] ?? fk.on_delete}`);
  }
  await client.end();
  return normalise(shape);
}

describe("migrations match prisma/schema.prisma", async () => {
  const kinds = await availableDatabaseKinds();
  let expected: DbShape;
  beforeAll(async () => {
    expected = await expectedShape();
  });

  for (const kind of kinds) {
    describe(kind, () => {
      let target: DatabaseTarget;
      let dropTarget: () => Promise<void>;
      beforeAll(async () => {
        ({ target, dropTarget } = await createTestTarget(kind));
        await applyMigrations(target);
      });
      afterAll(async () => dropTarget?.());

      it("has exactly the schema's tables, columns, keys, indexes and foreign keys", async () => {
        const actual = target.kind === "sqlite" ? await sqliteShape(target.filePath) : await postgresShape(target.url);
        expect(Object.keys(expected).length).toBeGreaterThan(5);
        expect(actual).toEqual(expected);
      });

      it("applies each migration once: a second run changes nothing", async () => {
        const again = await applyMigrations(target);
        expect(again.applied).toEqual([]);
        expect(again.alreadyApplied).toBeGreaterThan(0);
      });
    });
  }
});
