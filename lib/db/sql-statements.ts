/**
 * Raw SQL statements in a form a worker thread can run on its own connection (plain strings,
 * numbers, bigints and nulls: structured-clone friendly), or Prisma's raw queries on this
 * thread. Shared by the activity writer's batches and the settlement batches.
 *
 * Values are encoded as Prisma's adapters store them, so rows written here and rows written
 * through Prisma are indistinguishable: on SQLite a DateTime is ISO 8601 with "+00:00"
 * (@prisma/adapter-libsql) and a Boolean is 0/1.
 */
export type SqlDialect = "sqlite" | "postgres";
export type SqlValue = string | number | bigint | boolean | Date | null;
export type SqlStatement = { sql: string; params: SqlValue[] };

/** SQLite allows 32,766 bound parameters per statement (PostgreSQL 65,535): statements stay below. */
export const MAX_PARAMS = 30_000;

export function sqlValueEncoder(dialect: SqlDialect): (value: SqlValue) => SqlValue {
  if (dialect === "postgres") return (value) => value;
  return (value) => {
    if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
    if (typeof value === "boolean") return value ? 1 : 0;
    return value;
  };
}

/**
 * `INSERT INTO table (columns) VALUES (…), (…) [suffix]`, split so no statement binds more
 * than MAX_PARAMS values. `rows` are value arrays in column order.
 */
export function multiRowInserts(dialect: SqlDialect, table: string, columns: readonly string[], rows: SqlValue[][], suffix = ""): SqlStatement[] {
  const encode = sqlValueEncoder(dialect);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const statements: SqlStatement[] = [];
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: SqlValue[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const marks: string[] = [];
      for (const value of row) {
        params.push(encode(value));
        marks.push(dialect === "sqlite" ? "?" : `$${params.length}`);
      }
      tuples.push(`(${marks.join(", ")})`);
    }
    statements.push({ sql: head + tuples.join(", ") + suffix, params });
  }
  return statements;
}
