/**
 * Tells this process's caches that what they hold changed in the database, whoever
 * changed it (the console on another instance, the CLI, start-up's catalog sync, raw SQL).
 * Database triggers mark each change with its topic in the transaction that makes it
 * (migration 0018); a `ChangeSource` learns of them (PostgreSQL: LISTEN/NOTIFY; SQLite: a
 * cheap poll of PRAGMA data_version, then one tiny version read) and the feed calls the
 * topic's listeners. Storage-free, so tests drive it with a hand-made source.
 */
export const CHANGE_TOPICS = ["keys", "catalog", "settings"] as const;
export type ChangeTopic = (typeof CHANGE_TOPICS)[number];

export function isChangeTopic(value: string): value is ChangeTopic {
  return (CHANGE_TOPICS as readonly string[]).includes(value);
}

/** Where changes are learnt from: calls `emit` with topics that changed, or may have (after a reconnect: all of them). */
export interface ChangeSource {
  start(emit: (topics: readonly ChangeTopic[]) => void): void;
  stop(): Promise<void>;
}

type Listener = () => void | Promise<void>;
type ErrorHandler = (error: Error) => void;

/**
 * Runs `task` now, or once more right after the run in progress: a change that commits while
 * a refresh is already reading may not be in what it read, so it must not be dropped.
 */
export function coalesced(task: Listener, onError: ErrorHandler): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    Promise.resolve()
      .then(task)
      .catch(onError)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return run;
}

export type ChangeFeedOptions = { onError?: ErrorHandler };

export function createChangeFeed(source: ChangeSource, options: ChangeFeedOptions = {}) {
  const onError = options.onError ?? ((error: Error) => console.error(`change feed: ${error.message}`));
  const listeners = new Map<ChangeTopic, Set<() => void>>(CHANGE_TOPICS.map((topic) => [topic, new Set()]));
  let started = false;
  let delivered = 0;

  function emit(topics: readonly ChangeTopic[]): void {
    for (const topic of new Set(topics)) {
      delivered += 1;
      for (const listener of listeners.get(topic) ?? []) listener();
    }
  }

  /** Calls `listener` after each change of `topic` (coalesced: one run at a time, none lost); the source starts with the first listener. */
  function on(topic: ChangeTopic, listener: Listener): () => void {
    const run = coalesced(listener, onError);
    listeners.get(topic)!.add(run);
    if (!started) {
      started = true;
      source.start(emit);
    }
    return () => listeners.get(topic)!.delete(run);
  }

  return {
    on,
    /** Same-process changes that want their listeners run now, without waiting for the source. */
    emit,
    /** Topics delivered so far (for tests and /api/health-style figures). */
    delivered: () => delivered,
    async stop(): Promise<void> {
      if (started) await source.stop();
      started = false;
    },
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;
