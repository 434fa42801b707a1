// Generates the two Prisma clients (SQLite and PostgreSQL) from the one schema file.
//
// Prisma's query compiler is specific to a database, so each needs its own client;
// the PostgreSQL schema is derived here rather than kept by hand, so the two can't drift.
// PRISMA_SCHEMA_ENGINE_BINARY points at a stub because the CLI otherwise tries to
// download a native engine that `generate` does not use.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sqliteSchema = path.join(root, "prisma/schema.prisma");
const postgresDir = path.join(root, "prisma/.postgres");
const postgresSchema = path.join(postgresDir, "schema.prisma");

const source = readFileSync(sqliteSchema, "utf8");
const derived = source
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('output       = "../lib/db/generated/sqlite"', 'output       = "../../lib/db/generated/postgres"');
if (derived === source || !derived.includes("postgresql") || !derived.includes("generated/postgres")) {
  console.error("prisma-generate: could not derive the PostgreSQL schema (datasource or output line changed?)");
  process.exit(1);
}
mkdirSync(postgresDir, { recursive: true });
writeFileSync(postgresSchema, "// Generated from prisma/schema.prisma by scripts/prisma-generate.mjs. Do not edit.\n" + derived);

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, "scripts/no-schema-engine.sh"), PRISMA_HIDE_UPDATE_MESSAGE: "1" };
const prismaBin = path.join(root, "node_modules/prisma/build/index.js");
for (const schema of [sqliteSchema, postgresSchema]) {
  execFileSync(process.execPath, [prismaBin, "generate", "--schema", schema], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
}
console.log("prisma-generate: generated the SQLite and PostgreSQL clients in lib/db/generated/");
