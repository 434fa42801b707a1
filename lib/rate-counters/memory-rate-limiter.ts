/**
 * A fixed-window counter per key, in this process's memory. Enough for sign-in
 * throttling on one instance; shared limits across instances arrive with Redis (step 8).
 */
export type RateLimitDecision = { allowed: boolean; remaining: number; retryAfterMs: number };

export function createMemoryRateLimiter(options: { limit: number; windowMs: number; now?: () => number; maxKeys?: number }) {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { count: number; resetAt: number }>();

  function take(key: string): RateLimitDecision {
    const at = now();
    let window = windows.get(key);
    if (!window || window.resetAt <= at) {
      if (windows.size >= maxKeys) sweep(at);
      window = { count: 0, resetAt: at + options.windowMs };
      windows.set(key, window);
    }
    if (window.count >= options.limit) return { allowed: false, remaining: 0, retryAfterMs: window.resetAt - at };
    window.count += 1;
    return { allowed: true, remaining: options.limit - window.count, retryAfterMs: 0 };
  }

  function sweep(at: number) {
    for (const [key, window] of windows) if (window.resetAt <= at) windows.delete(key);
    // Still full: drop the oldest entries rather than grow without bound.
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(key);
    }
  }

  return { take, reset: (key: string) => windows.delete(key) };
}
