/**
 * Changes in a PostgreSQL database by notification: one connection per process LISTENs on
 * `switchyard_changes`, which migration 0018's triggers NOTIFY with the topic when the
 * changing transaction commits. Nothing is polled, so an idle server does no work for it.
 *
 * Notifications sent while this connection is down are lost, so every (re)connect reports
 * every topic as changed: the caches re-check once. The connection is kept alive by TCP
 * keep-alive and reopened with back-off. It must reach PostgreSQL directly or through a
 * session-pooling proxy: transaction pooling (PgBouncer's default) does not carry LISTEN.
 */
import pg from "pg";
import { CHANGE_TOPICS, isChangeTopic, type ChangeSource, type ChangeTopic } from "./change-feed.ts";

export const CHANGES_CHANNEL = "switchyard_changes";

export type PostgresChangeSourceOptions = { onError?: (error: Error) => void; log?: (message: string) => void; maxBackoffMs?: number };

export function createPostgresChangeSource(connectionString: string, options: PostgresChangeSourceOptions = {}): ChangeSource & { connected(): Promise<void> } {
  const onError = options.onError ?? ((error: Error) => console.error(`change feed (PostgreSQL): ${error.message}`));
  const log = options.log ?? ((message: string) => console.log(`change feed (PostgreSQL): ${message}`));
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  let client: pg.Client | null = null;
  let emit: ((topics: readonly ChangeTopic[]) => void) | null = null;
  let stopped = true;
  let backoffMs = 500;
  let retry: NodeJS.Timeout | undefined;
  let failing = false;
  let ready!: () => void;
  let listening = new Promise<void>((resolve) => (ready = resolve));

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString, keepAlive: true, keepAliveInitialDelayMillis: 10_000, application_name: "switchyard change feed" });
    client = next;
    next.on("notification", (message) => {
      if (message.channel === CHANGES_CHANNEL && message.payload && isChangeTopic(message.payload)) emit?.([message.payload]);
    });
    next.on("error", (error) => lost(next, error));
    next.on("end", () => lost(next, new Error("connection closed")));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      lost(next, error as Error);
      return;
    }
    if (failing) log("listening again");
    failing = false;
    backoffMs = 500;
    // Anything may have changed while nobody was listening (or before the first LISTEN).
    emit?.(CHANGE_TOPICS);
    ready();
  }

  function lost(which: pg.Client, error: Error) {
    if (client !== which || stopped) return;
    client = null;
    which.removeAllListeners("end");
    which.end().catch(() => undefined);
    if (!failing) onError(new Error(`${error.message}; reconnecting`));
    failing = true;
    listening = new Promise<void>((resolve) => (ready = resolve));
    retry = setTimeout(() => void connect(), backoffMs);
    retry.unref();
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
  }

  return {
    start(onChange) {
      emit = onChange;
      stopped = false;
      void connect();
    },
    async stop() {
      stopped = true;
      emit = null;
      clearTimeout(retry);
      const closing = client;
      client = null;
      await closing?.end().catch(() => undefined);
    },
    /** Resolves once LISTEN is in place (tests wait for it before changing anything). */
    connected: () => listening,
  };
}
