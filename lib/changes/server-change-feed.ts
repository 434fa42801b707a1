import "server-only";
/**
 * This process's change feed, on the configured database: LISTEN/NOTIFY on PostgreSQL, a
 * PRAGMA data_version poll every CHANGE_POLL_MS (500) on SQLite. Started by the first cache
 * that subscribes (keys, catalog, settings), so a process that serves nothing polls nothing.
 */
import { resolveDatabaseTarget } from "../db/database-url.ts";
import { createChangeFeed, type ChangeFeed, type ChangeSource } from "./change-feed.ts";
import { createPostgresChangeSource } from "./postgres-change-source.ts";
import { createSqliteChangeSource, DEFAULT_SQLITE_CHANGE_POLL_MS } from "./sqlite-change-source.ts";
import { existingProcessSingleton, processSingleton } from "../process-singleton.ts";

function pollMsFromEnv(): number {
  const value = Number(process.env.CHANGE_POLL_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_SQLITE_CHANGE_POLL_MS;
}

function sourceForDatabase(): ChangeSource {
  const target = resolveDatabaseTarget(process.env.DATABASE_URL);
  return target.kind === "postgres" ? createPostgresChangeSource(target.url) : createSqliteChangeSource(target.filePath, { pollMs: pollMsFromEnv() });
}

export function getChangeFeed(): ChangeFeed {
  return processSingleton("switchyardChangeFeed", () => createChangeFeed(sourceForDatabase()));
}

/** After a graceful drain: close the listening connection (or stop polling). */
export async function stopChangeFeed(): Promise<void> {
  await existingProcessSingleton<ChangeFeed>("switchyardChangeFeed")?.stop();
}
