/**
 * Keeps endpoint statistics across restarts and instances: every few seconds this
 * instance saves the buckets it changed and loads the ones other writers saved since
 * the last look. At start it loads the last day, including what this instance wrote
 * before it restarted (under another writer id).
 *
 * Other writers' rows only matter to an instance that routes requests or shows pages, so
 * an idle instance (nothing of its own to save) loads them only every `idleLoadEveryMs`
 * (60 s) instead of every tick; a page asks for a fresh load (`refreshIfOlderThan`).
 */
import type { EndpointHealth } from "./endpoint-health.ts";
import type { StatsStore } from "../ports/stats-store.ts";

export type StatsSyncOptions = {
  writer: string;
  intervalMs?: number;
  idleLoadEveryMs?: number;
  retentionDays?: number;
  now?: () => number;
  onError?: (error: Error) => void;
};

/** A clock difference between instances that a reload still tolerates. */
const CLOCK_SLACK_MS = 10_000;

export function startStatsSync(health: EndpointHealth, store: StatsStore, options: StatsSyncOptions) {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 5_000;
  const idleLoadEveryMs = options.idleLoadEveryMs ?? 60_000;
  const retentionMs = (options.retentionDays ?? 7) * 86_400_000;
  const onError = options.onError ?? ((error: Error) => console.error(`endpoint stats: ${error.message}`));
  let loadedUpTo = new Date(0);
  let lastLoadAt = -Infinity;
  let loads = 0;
  let lastPurge = 0;
  let running: Promise<void> | null = null;

  async function load() {
    const startedAt = new Date(now());
    const rows = await store.loadSavedSince(new Date(loadedUpTo.getTime() - CLOCK_SLACK_MS), options.writer, new Date(now() - 25 * 3_600_000));
    if (rows.length > 0) {
      health.buckets.putForeign(rows);
      health.invalidate();
    }
    loadedUpTo = startedAt;
    lastLoadAt = startedAt.getTime();
    loads += 1;
  }

  /** Saves this instance's changed buckets; how many there were. */
  async function save(): Promise<number> {
    const changed = health.buckets.takeDirty();
    if (changed.length === 0) return 0;
    try {
      await store.save(options.writer, changed, new Date(now()));
    } catch (error) {
      health.buckets.restoreDirty(changed);
      throw error;
    }
    return changed.length;
  }

  async function tick(forceLoad = false) {
    try {
      const saved = await save();
      if (forceLoad || saved > 0 || now() - lastLoadAt >= idleLoadEveryMs) await load();
      if (now() - lastPurge > 3_600_000) {
        lastPurge = now();
        await store.purgeBefore(new Date(now() - retentionMs));
      }
    } catch (error) {
      onError(error as Error);
    }
  }

  const run = (forceLoad = false) => (running ??= tick(forceLoad).finally(() => (running = null)));
  const ready = run(true);
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();

  return {
    /** resolves once the first load finished (or failed) */
    ready,
    /** loads other writers' rows now unless the last load is younger than `maxAgeMs` (pages call it) */
    async refreshIfOlderThan(maxAgeMs: number): Promise<void> {
      await running;
      if (now() - lastLoadAt > maxAgeMs) await run(true);
    },
    /** loads of other writers' rows so far (tests) */
    loads: () => loads,
    /** saves now (tests, and before the process exits) */
    async flush(): Promise<void> {
      await running;
      await run();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
      await save().catch(onError);
    },
  };
}
