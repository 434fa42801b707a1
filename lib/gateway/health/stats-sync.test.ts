import { describe, expect, it } from "vitest";
import { EndpointHealth } from "./endpoint-health";
import { startStatsSync } from "./stats-sync";
import { type StatsStore, type StoredBucket } from "../ports/stats-store";

function countingStore() {
  const store: StatsStore & { loadsFromStore: number; saves: number } = {
    loadsFromStore: 0,
    saves: 0,
    async save() {
      store.saves += 1;
    },
    async loadSavedSince(): Promise<StoredBucket[]> {
      store.loadsFromStore += 1;
      return [];
    },
    async purgeBefore() {
      return 0;
    },
  };
  return store;
}

describe("stats sync", () => {
  it("loads other writers' rows every tick only while this instance has traffic; idle, once per idleLoadEveryMs", async () => {
    let clock = Date.parse("2026-12-05T08:00:00Z");
    const now = () => clock;
    const health = new EndpointHealth({ now });
    const store = countingStore();
    // A long interval: the test drives the ticks through flush().
    const sync = startStatsSync(health, store, { writer: "a:1", intervalMs: 3_600_000, idleLoadEveryMs: 60_000, now });
    await sync.ready;
    expect(store.loadsFromStore).toBe(1);

    // Idle ticks five seconds apart: nothing to save, nothing loaded until a minute has passed.
    for (let i = 0; i < 11; i++) {
      clock += 5_000;
      await sync.flush();
    }
    expect(store.loadsFromStore).toBe(1);
    clock += 5_000;
    await sync.flush();
    expect(store.loadsFromStore).toBe(2);

    // Traffic: every tick that saves also loads.
    for (let i = 0; i < 3; i++) {
      health.recordSuccess("ep", { ttftMs: 100 });
      clock += 5_000;
      await sync.flush();
    }
    expect([store.saves, store.loadsFromStore]).toEqual([3, 5]);
    await sync.stop();
  });

  it("loads for a page when the last load is older than it accepts", async () => {
    let clock = Date.parse("2026-12-05T08:00:00Z");
    const now = () => clock;
    const store = countingStore();
    const sync = startStatsSync(new EndpointHealth({ now }), store, { writer: "a:1", intervalMs: 3_600_000, now });
    await sync.ready;
    clock += 2_000;
    await sync.refreshIfOlderThan(5_000);
    expect(store.loadsFromStore).toBe(1);
    clock += 10_000;
    await sync.refreshIfOlderThan(5_000);
    expect(store.loadsFromStore).toBe(2);
    await sync.stop();
  });
});
