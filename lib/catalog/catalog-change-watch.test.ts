import { describe, expect, it, vi } from "vitest";
import { createChangeWatch } from "./catalog-change-watch";

describe("catalog change watch", () => {
  it("records a baseline, then reports each change of the fingerprint once", async () => {
    let fingerprint = "a";
    const onChange = vi.fn();
    const watch = createChangeWatch({ readFingerprint: async () => fingerprint, onChange, intervalMs: 1000 });
    expect(await watch.poll()).toBe(false);
    expect(await watch.poll()).toBe(false);
    fingerprint = "b";
    expect(await watch.poll()).toBe(true);
    expect(await watch.poll()).toBe(false);
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it("polls on its interval once started", async () => {
    vi.useFakeTimers();
    try {
      let fingerprint = 1;
      const onChange = vi.fn();
      const watch = createChangeWatch({ readFingerprint: async () => String(fingerprint), onChange, intervalMs: 500 });
      watch.start();
      await vi.advanceTimersByTimeAsync(500);
      fingerprint = 2;
      await vi.advanceTimersByTimeAsync(500);
      expect(onChange).toHaveBeenCalledTimes(1);
      watch.stop();
      fingerprint = 3;
      await vi.advanceTimersByTimeAsync(2000);
      expect(onChange).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
