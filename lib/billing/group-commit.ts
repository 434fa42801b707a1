/**
 * Group commit: callers queue items and await the transaction that holds theirs. While no
 * batch is being written, the next one starts on the next turn of the event loop (so the
 * items queued by one turn share it, and a lone call waits for nothing else); while one is
 * being written, new items wait for it and go together in the next. One commit then serves
 * as many calls as arrived during the previous one.
 *
 * A batch the database refuses is retried one item at a time, so a bad item fails only its
 * own caller.
 */
export type GroupCommit<T, R> = {
  /** resolves once the transaction holding `item` has committed */
  submit(item: T): Promise<R>;
  /** resolves when everything submitted so far is written (or failed) */
  flush(): Promise<void>;
  /** items not yet being written are failed with `error` and nothing more is written */
  abandon(error: Error): Promise<void>;
  readonly queued: number;
};

type Waiting<T, R> = { item: T; resolve: (result: R) => void; reject: (error: Error) => void };

export function createGroupCommit<T, R>(write: (batch: T[]) => Promise<R[]>, options: { maxBatch?: number } = {}): GroupCommit<T, R> {
  const maxBatch = options.maxBatch ?? 500;
  let queue: Waiting<T, R>[] = [];
  let writing: Promise<void> | null = null;
  let abandoned = false;
  const idle: (() => void)[] = [];

  async function writeBatch(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error as Error);
        return;
      }
      for (const single of batch) await writeBatch([single]);
    }
  }

  function schedule(): void {
    if (writing || queue.length === 0 || abandoned) {
      if (!writing && (queue.length === 0 || abandoned)) for (const done of idle.splice(0)) done();
      return;
    }
    writing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => writeBatch(queue.splice(0, maxBatch)))
      .finally(() => {
        writing = null;
        schedule();
      });
  }

  return {
    submit(item) {
      if (abandoned) return Promise.reject(new Error("settlements are no longer written (this process stopped)"));
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
    flush() {
      if (!writing && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    async abandon(error) {
      abandoned = true;
      const dropped = queue;
      queue = [];
      for (const waiting of dropped) waiting.reject(error);
      await writing;
    },
    get queued() {
      return queue.length;
    },
  };
}
