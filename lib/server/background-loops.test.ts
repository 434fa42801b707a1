import { afterEach, describe, expect, it, vi } from "vitest";
import { adoptLoop, runningLoops, startLoop, stopBackgroundLoops } from "./background-loops";

describe("background loops", () => {
  afterEach(() => {
    stopBackgroundLoops();
    vi.useRealTimers();
  });

  it("run on their interval, log a failure under their name, and all stop at once", async () => {
    vi.useFakeTimers();
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let runs = 0;
    startLoop("counting", 1000, async () => void runs++);
    startLoop("failing", 1000, () => Promise.reject(new Error("database away")));
    const adopted = vi.fn();
    adoptLoop("probes", adopted);
    expect(runningLoops()).toEqual(["counting", "failing", "probes"]);

    await vi.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(3);
    expect(errors).toHaveBeenCalledWith("failing: database away");

    stopBackgroundLoops();
    expect(adopted).toHaveBeenCalledOnce();
    expect(runningLoops()).toEqual([]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(3);
    errors.mockRestore();
  });
});
