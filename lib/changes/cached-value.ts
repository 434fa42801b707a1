/**
 * A value read from the database once and kept until the change feed says its topic
 * changed (`invalidate`), with `maxAgeMs` as a safety net. Concurrent first reads share one
 * load; a failed load is not kept, so the next read tries again.
 */
export type CachedValueOptions = { maxAgeMs?: number; now?: () => number };

export function createCachedValue<T>(load: () => Promise<T>, options: CachedValueOptions = {}) {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  let current: { at: number; value: Promise<T> } | null = null;
  let loads = 0;

  function get(): Promise<T> {
    if (!current || now() - current.at > maxAgeMs) {
      const entry = { at: now(), value: load() };
      loads += 1;
      current = entry;
      entry.value.catch(() => {
        if (current === entry) current = null;
      });
    }
    return current.value;
  }

  return {
    get,
    invalidate(): void {
      current = null;
    },
    /** How many times the value was read from storage (for tests). */
    loads: () => loads,
  };
}

export type CachedValue<T> = ReturnType<typeof createCachedValue<T>>;
