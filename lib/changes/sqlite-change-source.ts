/**
 * Changes in a SQLite file, for every process that opens it. SQLite cannot notify another
 * process, so this polls, as cheaply as SQLite allows: `PRAGMA data_version` on a
 * connection of its own moves only when another connection committed (~50 µs, no table
 * read), and only then are the per-topic versions read that migration 0018's triggers
 * bump. An idle database costs one pragma per poll; a busy one (whose data_version moves
 * with every billing commit) one tiny extra read per poll, never one per request.
 */
import Database from "libsql";
import { CHANGE_TOPICS, isChangeTopic, type ChangeSource, type ChangeTopic } from "./change-feed.ts";

export const CHANGES_TABLE = "_switchyard_changes";
export const DEFAULT_SQLITE_CHANGE_POLL_MS = 500;

export type SqliteChangeSourceOptions = { pollMs?: number; onError?: (error: Error) => void };

export function createSqliteChangeSource(filePath: string, options: SqliteChangeSourceOptions = {}): ChangeSource & { pollOnce(): void } {
  const pollMs = options.pollMs ?? DEFAULT_SQLITE_CHANGE_POLL_MS;
  const onError = options.onError ?? ((error: Error) => console.error(`change feed (SQLite): ${error.message}`));
  let db: Database.Database | null = null;
  let readDataVersion: (() => unknown) | null = null;
  let readVersions: (() => Map<ChangeTopic, number>) | null = null;
  let lastDataVersion: unknown;
  let lastVersions = new Map<ChangeTopic, number>();
  let emit: ((topics: readonly ChangeTopic[]) => void) | null = null;
  let timer: NodeJS.Timeout | undefined;
  let failing = false;

  function open() {
    db = new Database(filePath, { timeout: 1000 });
    const dataVersion = db.prepare("PRAGMA data_version");
    const versions = db.prepare(`SELECT "topic", "version" FROM "${CHANGES_TABLE}"`);
    readDataVersion = () => (dataVersion.get() as { data_version: unknown }).data_version;
    readVersions = () => {
      const map = new Map<ChangeTopic, number>();
      for (const row of versions.all() as { topic: string; version: number | bigint }[]) if (isChangeTopic(row.topic)) map.set(row.topic, Number(row.version));
      return map;
    };
    lastDataVersion = readDataVersion();
    lastVersions = readVersions();
  }

  /** One poll; exposed for tests. */
  function pollOnce(): void {
    try {
      if (!db) {
        open();
        // Whatever happened before the first successful read is unknown: everything may have changed.
        if (failing) emit?.(CHANGE_TOPICS);
        failing = false;
        return;
      }
      const dataVersion = readDataVersion!();
      if (dataVersion === lastDataVersion) return;
      lastDataVersion = dataVersion;
      const versions = readVersions!();
      const changed = CHANGE_TOPICS.filter((topic) => versions.get(topic) !== lastVersions.get(topic));
      lastVersions = versions;
      if (changed.length > 0) emit?.(changed);
      failing = false;
    } catch (error) {
      if (!failing) onError(error as Error);
      failing = true;
      close();
    }
  }

  function close() {
    try {
      db?.close();
    } catch {
      // closing a broken connection
    }
    db = null;
  }

  return {
    start(onChange) {
      emit = onChange;
      pollOnce();
      timer = setInterval(pollOnce, pollMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      emit = null;
      close();
    },
    pollOnce,
  };
}
