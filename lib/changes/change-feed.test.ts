import { describe, expect, it } from "vitest";
import { coalesced, createChangeFeed, type ChangeSource, type ChangeTopic } from "./change-feed";

function handMadeSource() {
  let emit: ((topics: readonly ChangeTopic[]) => void) | null = null;
  let starts = 0;
  const source: ChangeSource = {
    start(onChange) {
      starts += 1;
      emit = onChange;
    },
    async stop() {
      emit = null;
    },
  };
  return { source, send: (...topics: ChangeTopic[]) => emit?.(topics), starts: () => starts };
}

/** Resolves once every microtask and promise callback queued so far has run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("coalesced", () => {
  it("runs once more after the run in progress when called during it, never twice at once", async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let release!: () => void;
    const run = coalesced(
      async () => {
        runs += 1;
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
        running -= 1;
      },
      () => undefined,
    );
    run();
    await settled();
    // Three changes while the first refresh is still reading: one more refresh covers them all.
    run();
    run();
    run();
    release();
    await settled();
    await settled();
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it("keeps working after a failed run and reports the failure", async () => {
    const errors: string[] = [];
    let calls = 0;
    const run = coalesced(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error("database away");
      },
      (error) => errors.push(error.message),
    );
    run();
    await settled();
    run();
    await settled();
    expect(calls).toBe(2);
    expect(errors).toEqual(["database away"]);
  });
});

describe("change feed", () => {
  it("starts its source with the first listener and calls only the listeners of the topics that changed", async () => {
    const hand = handMadeSource();
    const feed = createChangeFeed(hand.source);
    expect(hand.starts()).toBe(0);
    const heard: string[] = [];
    feed.on("keys", () => void heard.push("keys"));
    feed.on("catalog", () => void heard.push("catalog"));
    feed.on("catalog", () => void heard.push("catalog (second listener)"));
    expect(hand.starts()).toBe(1);
    hand.send("catalog");
    await settled();
    expect(heard.sort()).toEqual(["catalog", "catalog (second listener)"]);
    heard.length = 0;
    hand.send("settings", "keys", "keys");
    await settled();
    expect(heard).toEqual(["keys"]);
    expect(hand.starts()).toBe(1);
  });

  it("delivers same-process changes through emit, and nothing after a listener is removed", async () => {
    const hand = handMadeSource();
    const feed = createChangeFeed(hand.source);
    let heard = 0;
    const off = feed.on("settings", () => void (heard += 1));
    feed.emit(["settings"]);
    await settled();
    expect(heard).toBe(1);
    off();
    hand.send("settings");
    await settled();
    expect(heard).toBe(1);
  });
});
