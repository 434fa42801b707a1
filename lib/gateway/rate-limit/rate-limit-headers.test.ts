import { describe, expect, it } from "vitest";
import { formatResetDuration, rateLimitHeaders, retryAfterHeaders, selectTightest, type LimitState } from "./rate-limit-headers";

const state = (kind: LimitState["kind"], limit: number, remaining: number, resetInMs: number, label = "x"): LimitState => ({
  kind,
  limit,
  remaining,
  resetInMs,
  label,
});

describe("rate-limit headers", () => {
  it.each([
    [0, "0ms"],
    [20, "20ms"],
    [999.6, "1s"],
    [1000, "1s"],
    [1500, "1.5s"],
    [8_640, "8.64s"],
    [59_999, "59.999s"],
    [60_000, "1m0s"],
    [360_000, "6m0s"],
    [90_500, "1m30.5s"],
    [3_600_000, "1h0m0s"],
    [3_723_000, "1h2m3s"],
    [-5, "0ms"],
  ])("writes %d ms as %s, like OpenAI's resets", (ms, text) => {
    expect(formatResetDuration(ms)).toBe(text);
  });

  it("picks the limit with the fewest left, then the smaller limit, then the later reset", () => {
    const key = state("requests", 5, 2, 10_000, "key");
    const family = state("requests", 60, 1, 30_000, "family");
    expect(selectTightest([key, family])).toBe(family);
    const a = state("requests", 10, 3, 1_000);
    const b = state("requests", 5, 3, 1_000);
    expect(selectTightest([a, b])).toBe(b);
    const early = state("requests", 5, 3, 1_000);
    const late = state("requests", 5, 3, 9_000);
    expect(selectTightest([early, late])).toBe(late);
    expect(selectTightest([])).toBeNull();
  });

  it("reports the tightest limit of each kind, as OpenAI and as Anthropic write it, and nothing for a kind with no limit", () => {
    const now = Date.parse("2026-11-27T10:15:00.400Z");
    expect(
      rateLimitHeaders(
        [state("requests", 100, 99, 59_000), state("requests", 5, 4, 59_000), state("tokens", 10_000, 9_000, 60_000), state("tokens", 50_000, 8_500, 12_000)],
        now,
      ),
    ).toEqual({
      "x-ratelimit-limit-requests": "5",
      "x-ratelimit-remaining-requests": "4",
      "x-ratelimit-reset-requests": "59s",
      "x-ratelimit-limit-tokens": "50000",
      "x-ratelimit-remaining-tokens": "8500",
      "x-ratelimit-reset-tokens": "12s",
      "anthropic-ratelimit-requests-limit": "5",
      "anthropic-ratelimit-requests-remaining": "4",
      // 10:15:00.4 + 59 s, rounded up to the second
      "anthropic-ratelimit-requests-reset": "2026-11-27T10:16:00Z",
      "anthropic-ratelimit-tokens-limit": "50000",
      "anthropic-ratelimit-tokens-remaining": "8500",
      "anthropic-ratelimit-tokens-reset": "2026-11-27T10:15:13Z",
    });
    expect(rateLimitHeaders([state("requests", 5, 4, 1)], now)).not.toHaveProperty("x-ratelimit-limit-tokens");
    expect(rateLimitHeaders([state("requests", 5, 4, 1)], now)).not.toHaveProperty("anthropic-ratelimit-tokens-limit");
    expect(rateLimitHeaders([], now)).toEqual({});
  });

  it("rounds Retry-After up to whole seconds, never below one", () => {
    expect(retryAfterHeaders(12_001)).toEqual({ "retry-after": "13", "retry-after-ms": "12001" });
    expect(retryAfterHeaders(0)).toEqual({ "retry-after": "1", "retry-after-ms": "0" });
  });
});
