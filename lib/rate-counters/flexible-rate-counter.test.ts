import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createMemoryRateCounter, createRedisRateCounter, describeRedisUrl } from "./flexible-rate-counter";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `switchyard-test:${randomUUID()}`;

async function removeTestKeys() {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

afterAll(removeTestKeys);

describe("rate counters over rate-limiter-flexible", () => {
  it("counts in one-minute windows in memory, refunds included", async () => {
    const counter = createMemoryRateCounter();
    expect(await counter.add("a", 3)).toMatchObject({ total: 3 });
    const { total, resetInMs } = await counter.add("a", 4);
    expect(total).toBe(7);
    expect(resetInMs).toBeGreaterThan(55_000);
    expect(resetInMs).toBeLessThanOrEqual(60_000);
    await counter.remove("a", 5);
    expect((await counter.add("a", 0)).total).toBe(2);
    expect((await counter.add("b", 1)).total).toBe(1);
  });

  it("shares one window between two instances through Redis, under its own key prefix", async () => {
    const first = createRedisRateCounter({ url: REDIS_URL, keyPrefix: prefix });
    const second = createRedisRateCounter({ url: REDIS_URL, keyPrefix: prefix });
    try {
      await first.add("req:key:1", 2);
      expect((await second.add("req:key:1", 1)).total).toBe(3);
      await second.remove("req:key:1", 3);
      expect((await first.add("req:key:1", 0)).total).toBe(0);
      const redis = new Redis(REDIS_URL);
      expect(await redis.keys(`${prefix}*`)).toEqual([`${prefix}:req:key:1`]);
      expect(await redis.pttl(`${prefix}:req:key:1`)).toBeGreaterThan(50_000);
      await redis.quit();
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it("falls back to counting in memory when Redis is unreachable, and says so once without the password", async () => {
    const lines: string[] = [];
    // Nothing listens on port 9 of loopback.
    const counter = createRedisRateCounter({ url: "redis://:hunter2-secret@127.0.0.1:9", keyPrefix: prefix, log: (line) => lines.push(line) });
    try {
      expect((await counter.add("k", 1)).total).toBe(1);
      expect((await counter.add("k", 1)).total).toBe(2);
      expect(lines.length).toBe(1);
      expect(lines[0]).toContain("counting in this instance's memory");
      expect(lines.join("\n")).not.toContain("hunter2");
    } finally {
      await counter.close();
    }
  });

  it("describes a Redis URL without its credentials", () => {
    expect(describeRedisUrl("redis://user:pw@cache.internal:6380/2")).toBe("redis://cache.internal:6380/2");
  });
});
