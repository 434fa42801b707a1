import { describe, expect, it } from "vitest";
import { createMemoryRateLimiter } from "./memory-rate-limiter";

describe("memory rate limiter", () => {
  it("allows the limit per window, then refuses with the time until the window resets", () => {
    let clock = 0;
    const limiter = createMemoryRateLimiter({ limit: 3, windowMs: 60_000, now: () => clock });
    expect([1, 2, 3].map(() => limiter.take("a").allowed)).toEqual([true, true, true]);
    clock = 15_000;
    expect(limiter.take("a")).toEqual({ allowed: false, remaining: 0, retryAfterMs: 45_000 });
    expect(limiter.take("b").allowed).toBe(true);
    clock = 60_000;
    expect(limiter.take("a").allowed).toBe(true);
  });

  it("stays bounded in memory", () => {
    const limiter = createMemoryRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 10, now: () => 0 });
    for (let i = 0; i < 1000; i++) limiter.take(`k${i}`);
    expect(limiter.take("k999").allowed).toBe(false);
  });
});
