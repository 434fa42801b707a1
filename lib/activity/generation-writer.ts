/**
 * Generation rows are written in batches off the response path: records queue in
 * memory and a flush every `flushIntervalMs` (or at `maxBatch`) inserts them with
 * their attempts and their hourly rollups in one transaction. Recently recorded generations stay readable from
 * memory, so GET /api/v1/generation answers at once, before the batch lands.
 */
import type { Db } from "../db/client.ts";
import type { GenerationRecord, GenerationSink } from "../gateway/ports.ts";
import type { GenerationRow } from "./generation-record.ts";
import { generationRowWrites } from "./generation-rows.ts";

export type GenerationWriter = GenerationSink & {
  /** a record still in memory (queued or just written), by id and owner */
  recent(id: string, userId: string): GenerationRow | null;
  flush(): Promise<void>;
  stop(): Promise<void>;
};

export function createGenerationWriter(db: Db, options: { flushIntervalMs?: number; maxBatch?: number; recentLimit?: number } = {}): GenerationWriter {
  const flushIntervalMs = options.flushIntervalMs ?? 200;
  const maxBatch = options.maxBatch ?? 500;
  const recentLimit = options.recentLimit ?? 5000;
  let queue: GenerationRecord[] = [];
  const recent = new Map<string, GenerationRecord>();
  let flushing: Promise<void> | null = null;

  async function write(batch: GenerationRecord[]) {
    await db.$transaction(generationRowWrites(db, batch));
  }

  /** Writes everything queued, a batch at a time; a failed batch goes back to the front and stops this round. */
  async function flush(): Promise<void> {
    if (flushing) return flushing;
    flushing = (async () => {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        try {
          await write(batch);
        } catch (error) {
          // Keep the records for the next round rather than lose them.
          console.error(`generation writer: batch of ${batch.length} failed, will retry: ${(error as Error).message}`);
          queue = [...batch, ...queue];
          return;
        }
      }
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  const timer = setInterval(() => void flush(), flushIntervalMs);
  timer.unref();

  return {
    record(generation) {
      queue.push(generation);
      // Bodies can be large; the in-memory copy is for the metadata lookups only.
      recent.set(generation.id, generation.content ? { ...generation, content: null } : generation);
      if (recent.size > recentLimit) recent.delete(recent.keys().next().value!);
      if (queue.length >= maxBatch) void flush();
    },
    recent(id, userId) {
      const found = recent.get(id);
      return found && found.userId === userId ? found : null;
    },
    flush,
    async stop() {
      clearInterval(timer);
      // A flush already under way may have started before the last records arrived.
      await flush();
      await flush();
    },
  };
}
