/**
 * Generation rows are written in batches off the response path: records queue in
 * memory and a flush every `flushIntervalMs` (or at `maxBatch`) inserts them with
 * their attempts and their hourly rollups in one transaction. Recently recorded generations stay readable from
 * memory, so GET /api/v1/generation answers at once, before the batch lands.
 *
 * One bad record must not stop everyone's: text is made storable before it is queued
 * (stored-text.ts), and a batch the database refuses while it is up is split in halves
 * until the record it refuses is found; that record is parked (dropped, with one log
 * line, and marked recorded so crash recovery does not retry it) and the rest are
 * written. Each batch marks its reservations recorded in its own transaction (see
 * lib/billing/unrecorded-settlements.ts). While the database is down nothing is parked: the
 * records wait, up to `maxQueued`; past that, new records are dropped and counted.
 *
 * Where a transaction runs is the store's business (activity-store.ts): with SQLite, a
 * worker thread with its own connection, so a batch never stalls the serving thread.
 */
import type { Db } from "../db/client.ts";
import type { GenerationRecord, GenerationSink } from "../gateway/ports/gateway-deps.ts";
import type { GenerationRow } from "./generation-record.ts";
import { createPrismaActivityStore, type ActivityStore } from "./activity-store.ts";
import { withStorableText } from "./stored-text.ts";

/** What /api/health shows of the writer. */
export type GenerationQueueStats = {
  queued: number;
  limit: number;
  parked: number;
  dropped: number;
  databaseWritable: boolean;
  /** where batches are written ("worker": a SQLite worker thread) and how many went through it */
  via: "worker" | "main";
  offThreadBatches: number;
};

export type GenerationWriter = GenerationSink & {
  /** a record still in memory (queued or just written), by id and owner */
  recent(id: string, userId: string): GenerationRow | null;
  stats(): GenerationQueueStats;
  flush(): Promise<void>;
  /**
   * Writes what is queued now, waiting at most `maxWaitMs`: the console's activity and usage
   * reads call it first, so a call that just returned is on the page (read-your-writes on this
   * instance). A slow or absent database costs the page that wait, never a hang.
   */
  caughtUp(maxWaitMs?: number): Promise<void>;
  stop(): Promise<void>;
};

export type GenerationWriterOptions = {
  flushIntervalMs?: number;
  maxBatch?: number;
  recentLimit?: number;
  /** records waiting for the database at most; ACTIVITY_QUEUE_LIMIT, default 100,000 */
  maxQueued?: number;
  /** whether the database answers (a refused batch is then the records' fault, not an outage) */
  databaseAnswers?: () => Promise<boolean>;
  /** where the transactions run (default: Prisma on this thread) */
  store?: ActivityStore;
  log?: (line: string) => void;
};

export const DEFAULT_MAX_QUEUED = 100_000;

/** The first line of a database error, short: enough to act on, never a whole query dump. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? "unknown error").slice(0, 300);
}

export function createGenerationWriter(db: Db, options: GenerationWriterOptions = {}): GenerationWriter {
  const flushIntervalMs = options.flushIntervalMs ?? 200;
  const maxBatch = options.maxBatch ?? 500;
  const recentLimit = options.recentLimit ?? 5000;
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  const log = options.log ?? ((line: string) => console.error(line));
  const databaseAnswers =
    options.databaseAnswers ??
    (async () =>
      db.$queryRawUnsafe("SELECT 1").then(
        () => true,
        () => false,
      ));
  // The store marks the batch's settlements recorded in the rows' transaction: recovery leaves them alone.
  const store = options.store ?? createPrismaActivityStore(db);
  let queue: GenerationRecord[] = [];
  const recent = new Map<string, GenerationRecord>();
  let flushing: Promise<void> | null = null;
  /** records taken off the queue by the flush under way */
  let inFlight = 0;
  let parked = 0;
  let dropped = 0;
  let outage = false;
  let dropping = false;

  async function write(batch: GenerationRecord[]) {
    await store.write(batch);
  }

  async function park(record: GenerationRecord, error: unknown) {
    parked += 1;
    log(`generation writer: parked record ${record.id} (user ${record.userId}), the database refused it: ${reasonOf(error)}`);
    // Given up for good: crash recovery would only be refused the same row again.
    await store
      .markRecorded([record])
      .catch((markError: unknown) => log(`generation writer: marking parked record ${record.id} recorded failed: ${reasonOf(markError)}`));
  }

  /**
   * Writes `batch`, halving it around records the database refuses. Resolves to the records
   * left unwritten because the database stopped answering (to be retried, in order).
   */
  async function writeIsolating(batch: GenerationRecord[]): Promise<GenerationRecord[]> {
    try {
      await write(batch);
      return [];
    } catch (error) {
      if (!(await databaseAnswers())) {
        if (!outage) log(`generation writer: the database is unavailable (${reasonOf(error)}); ${queue.length + batch.length} record(s) wait for it`);
        outage = true;
        return batch;
      }
      if (batch.length === 1) {
        await park(batch[0], error);
        return [];
      }
      const middle = Math.ceil(batch.length / 2);
      const firstHalf = batch.slice(0, middle);
      const secondHalf = batch.slice(middle);
      const leftFirst = await writeIsolating(firstHalf);
      if (leftFirst.length > 0) return [...leftFirst, ...secondHalf];
      return writeIsolating(secondHalf);
    }
  }

  /** Writes everything queued, a batch at a time; records the database could not take for lack of it go back to the front. */
  async function flush(): Promise<void> {
    if (flushing) return flushing;
    flushing = (async () => {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        inFlight = batch.length;
        const left = await writeIsolating(batch).finally(() => {
          inFlight = 0;
        });
        if (left.length > 0) {
          queue = [...left, ...queue];
          return;
        }
        if (outage) log(`generation writer: the database is back; writing ${queue.length} queued record(s)`);
        outage = false;
      }
    })().finally(() => {
      flushing = null;
      if (queue.length > 0) scheduleFlush();
    });
    return flushing;
  }

  // A timer only while records wait: an idle server does not wake 5 times a second for an
  // empty queue. Records left after a flush (an outage, or records that came meanwhile) re-arm it.
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  function scheduleFlush(): void {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, flushIntervalMs);
    timer.unref();
  }

  return {
    record(raw) {
      if (queue.length + inFlight >= maxQueued) {
        dropped += 1;
        if (!dropping) log(`generation writer: ${maxQueued} records are waiting for the database; dropping new ones until it catches up`);
        dropping = true;
        return;
      }
      // One line per episode: a queue hovering at the bound would otherwise log on every record.
      if (queue.length + inFlight < maxQueued * 0.9) dropping = false;
      const generation = withStorableText(raw);
      queue.push(generation);
      // Bodies can be large; the in-memory copy is for the metadata lookups only.
      recent.set(generation.id, generation.content ? { ...generation, content: null } : generation);
      if (recent.size > recentLimit) recent.delete(recent.keys().next().value!);
      if (queue.length >= maxBatch) void flush();
      else scheduleFlush();
    },
    recent(id, userId) {
      const found = recent.get(id);
      return found && found.userId === userId ? found : null;
    },
    stats: () => {
      const { via, offThreadBatches } = store.stats();
      return { queued: queue.length + inFlight, limit: maxQueued, parked, dropped, databaseWritable: !outage, via, offThreadBatches };
    },
    flush,
    async caughtUp(maxWaitMs = 2000) {
      if (queue.length === 0 && !flushing) return;
      const written = (async () => {
        await flush();
        // A flush already under way when the records arrived may have finished its loop before them.
        if (queue.length > 0 && !outage) await flush();
      })();
      let timeout: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, maxWaitMs);
        timeout.unref();
      });
      await Promise.race([written, waited]).finally(() => clearTimeout(timeout));
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // A flush already under way may have started before the last records arrived.
      await flush();
      await flush();
      await store.close();
    },
  };
}
