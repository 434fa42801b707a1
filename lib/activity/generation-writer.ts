/**
 * Generation rows are written in batches off the response path: records queue in
 * memory and a flush every `flushIntervalMs` (or at `maxBatch`) inserts them with
 * their attempts in one transaction. Recently recorded generations stay readable from
 * memory, so GET /api/v1/generation answers at once, before the batch lands.
 */
import type { Db } from "../db/client.ts";
import type { GenerationRecord, GenerationSink } from "../gateway/ports.ts";
import type { GenerationRow } from "./generation-record.ts";

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
    await db.$transaction([
      db.generation.createMany({ data: batch.map(({ attempts: _attempts, ...row }) => row) }),
      db.generationAttempt.createMany({ data: batch.flatMap((g) => g.attempts.map((a) => ({ ...a, generationId: g.id }))) }),
    ]);
  }

  async function flush(): Promise<void> {
    if (flushing) return flushing;
    if (queue.length === 0) return;
    const batch = queue.splice(0, maxBatch);
    flushing = write(batch)
      .catch((error: Error) => {
        // Keep the records for the next flush rather than lose them.
        console.error(`generation writer: batch of ${batch.length} failed, will retry: ${error.message}`);
        queue = [...batch, ...queue];
      })
      .finally(() => {
        flushing = null;
      });
    await flushing;
    if (queue.length >= maxBatch) await flush();
  }

  const timer = setInterval(() => void flush(), flushIntervalMs);
  timer.unref();

  return {
    record(generation) {
      queue.push(generation);
      recent.set(generation.id, generation);
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
      await flush();
    },
  };
}
