/**
 * The gateway's RateCounter over rate-limiter-flexible: one-minute fixed windows, in
 * this process's memory, or in Redis when REDIS_URL is set so every instance spends one
 * budget. The library's own ceiling is set out of reach: the limits differ per key,
 * account and family and change at runtime, so lib/gateway/rate-limit compares each
 * counter with its own limit and the library does the atomic, expiring counting.
 *
 * When Redis is unreachable, each instance falls back to counting in its own memory
 * (the library's insurance limiter): limits still hold per instance rather than the
 * gateway refusing all traffic or letting it all through. Counting returns to Redis
 * by itself when it is back.
 */
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateCounter } from "../gateway/ports/rate-counter.ts";

export const RATE_WINDOW_SECONDS = 60;
const NO_CEILING = Number.MAX_SAFE_INTEGER;

function counterOver(limiter: RateLimiterAbstract, ready: () => Promise<void> = async () => undefined): RateCounter {
  return {
    async add(key, amount) {
      await ready();
      const result = await limiter.consume(key, amount);
      return { total: result.consumedPoints, resetInMs: result.msBeforeNext };
    },
    async remove(key, amount) {
      await ready();
      await limiter.reward(key, amount);
    },
  };
}

export function createMemoryRateCounter(): RateCounter {
  return counterOver(new RateLimiterMemory({ points: NO_CEILING, duration: RATE_WINDOW_SECONDS }));
}

/** A Redis URL without its password, for log lines. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}:${parsed.port || "6379"}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

export type RedisRateCounter = RateCounter & { close(): Promise<void> };

export function createRedisRateCounter(options: { url: string; keyPrefix: string; commandTimeoutMs?: number; log?: (line: string) => void }): RedisRateCounter {
  const log = options.log ?? ((line: string) => console.error(line));
  const where = describeRedisUrl(options.url);
  // No offline queue and a command timeout: while Redis is away, counting falls back to
  // memory at once instead of queueing requests behind a reconnect.
  const client = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: options.commandTimeoutMs ?? 500 });
  let healthy = true;
  client.on("ready", () => {
    if (!healthy) log(`rate limits: Redis at ${where} is back; budgets are shared again`);
    healthy = true;
  });
  client.on("error", (error: Error) => {
    if (healthy) log(`rate limits: Redis at ${where} is unreachable (${error.message}); counting in this instance's memory until it is back`);
    healthy = false;
  });
  // The first requests wait (briefly) for the connection, so a fresh instance does not
  // start on its private memory budget while Redis is merely still connecting.
  const connected = new Promise<void>((resolve) => {
    client.once("ready", () => resolve());
    client.once("error", () => resolve());
    setTimeout(resolve, 2_000).unref();
  });
  const limiter = new RateLimiterRedis({
    storeClient: client,
    keyPrefix: options.keyPrefix,
    points: NO_CEILING,
    duration: RATE_WINDOW_SECONDS,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ points: NO_CEILING, duration: RATE_WINDOW_SECONDS }),
  });
  return { ...counterOver(limiter, () => connected), close: async () => void (await client.quit().catch(() => client.disconnect())) };
}

/** REDIS_URL set: the shared Redis store; otherwise this process's memory. */
export function createRateCounterFromEnv(env: NodeJS.ProcessEnv = process.env): RateCounter {
  const url = env.REDIS_URL?.trim();
  if (!url) return createMemoryRateCounter();
  return createRedisRateCounter({ url, keyPrefix: env.RATE_LIMIT_REDIS_PREFIX?.trim() || "switchyard:ratelimit" });
}
