/**
 * The CLI's database: DATABASE_URL as `npm start` resolves it, migrated first (so a
 * command run before the first start works), disconnected afterwards.
 */
import { createDb, type Db } from "../lib/db/client.ts";
import { resolveDatabaseTarget } from "../lib/db/database-url.ts";
import { applyMigrations } from "../lib/db/migrate.ts";
import { ValidationError } from "../lib/errors/validation-error.ts";
import { CliError } from "./command.ts";

export async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  let target;
  try {
    target = resolveDatabaseTarget(process.env.DATABASE_URL);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  await applyMigrations(target);
  const db = createDb(target);
  try {
    return await work(db);
  } catch (error) {
    // Validation problems are the operator's to fix: one line, no stack.
    if (error instanceof ValidationError) throw new CliError(error.message);
    throw error;
  } finally {
    await db.$disconnect();
  }
}
