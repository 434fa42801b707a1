import { describe, expect, it } from "vitest";
import { RequestDrain } from "./request-drain";

describe("RequestDrain", () => {
  it("waits for every request in flight, refuses new ones while draining, and counts a release once", async () => {
    const drain = new RequestDrain();
    const first = drain.begin()!;
    const second = drain.begin()!;
    let drained = false;
    const done = drain.drain(5_000).then((ok) => (drained = ok));
    expect(drain.begin()).toBeNull();
    first();
    first();
    await Promise.resolve();
    expect(drained).toBe(false);
    expect(drain.inFlight).toBe(1);
    second();
    await done;
    expect(drained).toBe(true);
  });

  it("gives up at the timeout", async () => {
    const drain = new RequestDrain();
    drain.begin();
    expect(await drain.drain(10)).toBe(false);
  });
});
