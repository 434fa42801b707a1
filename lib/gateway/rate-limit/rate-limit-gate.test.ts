import { describe, expect, it } from "vitest";
import { createMemoryRateCounter } from "../../rate-counters/flexible-rate-counter";
import { admitRequest, settleTokens } from "./rate-limit-gate";
import { type RateCounter } from "../ports/rate-counter";
import type { RateLimitRule } from "./rate-limit-rules";

const rule = (scope: RateLimitRule["scope"], rpm: number | null, tpm: number | null, bucket = `${scope}:1`): RateLimitRule => ({
  scope,
  bucket,
  label: `the ${scope}`,
  rpm,
  tpm,
});

/** Reads a counter's current total without changing it. */
async function totalOf(counter: RateCounter, key: string): Promise<number> {
  const { total } = await counter.add(key, 0);
  return total;
}

describe("rate-limit gate", () => {
  it("admits exactly the limit out of a concurrent burst, and refuses the rest with Retry-After", async () => {
    const counter = createMemoryRateCounter();
    const results = await Promise.all(Array.from({ length: 20 }, () => admitRequest(counter, [rule("key", 5, null)], 10, Date.now())));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    const remaining = results.flatMap((r) => (r.ok ? [Number(r.headers["x-ratelimit-remaining-requests"])] : [])).sort();
    expect(remaining).toEqual([0, 1, 2, 3, 4]);
    const refused = results.find((r) => !r.ok);
    if (!refused || refused.ok) throw new Error("expected a refusal");
    expect(refused.error).toMatchObject({ status: 429, type: "rate_limit" });
    expect(refused.error.message).toMatch(/this API key|the key: 5 requests per minute/);
    expect(refused.error.headers).toMatchObject({ "x-ratelimit-limit-requests": "5", "x-ratelimit-remaining-requests": "0" });
    expect(Number(refused.error.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(refused.error.headers["x-ratelimit-reset-requests"]).toMatch(/^((1m0s)|\d+(\.\d+)?s|\d+ms)$/);
    // Refused requests gave their share back: the window holds the five admitted ones.
    expect(await totalOf(counter, "req:key:1")).toBe(5);
  });

  it("is all or nothing: a request refused by one budget takes nothing from the others", async () => {
    const counter = createMemoryRateCounter();
    const rules = [rule("key", 100, 10_000), rule("family", 1, null)];
    expect((await admitRequest(counter, rules, 500, Date.now())).ok).toBe(true);
    const second = await admitRequest(counter, rules, 500, Date.now());
    expect(second.ok).toBe(false);
    expect(await totalOf(counter, "req:key:1")).toBe(1);
    expect(await totalOf(counter, "tok:key:1")).toBe(500);
    if (second.ok) return;
    // The refusing budget speaks for requests; tokens report the key's budget as it stands without this request.
    expect(second.error.headers).toMatchObject({
      "x-ratelimit-limit-requests": "1",
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-limit-tokens": "10000",
      "x-ratelimit-remaining-tokens": "9500",
    });
    expect(second.error.message).toContain("the family");
  });

  it("reserves tokens up front, refuses what does not fit, and settles to the usage", async () => {
    const counter = createMemoryRateCounter();
    const rules = [rule("key", null, 1_000)];
    const first = await admitRequest(counter, rules, 900, Date.now());
    if (!first.ok) throw new Error("first request refused");
    expect(first.headers).toMatchObject({ "x-ratelimit-limit-tokens": "1000", "x-ratelimit-remaining-tokens": "100" });
    // While the first is in flight its whole reservation counts.
    const second = await admitRequest(counter, rules, 200, Date.now());
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error.headers).toMatchObject({ "x-ratelimit-remaining-tokens": "100" });
    // It used 40 tokens: the other 860 come back, once.
    await settleTokens(counter, first.grant, 40, Date.now());
    await settleTokens(counter, first.grant, 40, Date.now());
    expect(await totalOf(counter, "tok:key:1")).toBe(40);
    const third = await admitRequest(counter, rules, 900, Date.now());
    expect(third.ok && third.headers["x-ratelimit-remaining-tokens"]).toBe("60");
  });

  it("adds an overrun, and gives nothing back into a window the reservation was not taken from", async () => {
    const counter = createMemoryRateCounter();
    const rules = [rule("key", null, 1_000)];
    const over = await admitRequest(counter, rules, 100, Date.now());
    if (!over.ok) throw new Error("refused");
    await settleTokens(counter, over.grant, 130, Date.now());
    expect(await totalOf(counter, "tok:key:1")).toBe(130);
    const late = await admitRequest(counter, rules, 500, Date.now());
    if (!late.ok) throw new Error("refused");
    await settleTokens(counter, late.grant, 0, Date.now() + 61_000);
    expect(await totalOf(counter, "tok:key:1")).toBe(630);
  });

  it("refuses a request larger than a token limit without counting it, and says retrying will not help", async () => {
    const counter = createMemoryRateCounter();
    const result = await admitRequest(counter, [rule("account", 10, 1_000)], 4_096, Date.now());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/needs up to 4096 tokens.*1000 tokens per minute allowed for the account/);
    expect(result.error.headers).toMatchObject({ "x-should-retry": "false", "x-ratelimit-limit-tokens": "1000" });
    expect(await totalOf(counter, "req:account:1")).toBe(0);
  });

  it("admits everything with no headers when no limit applies", async () => {
    const result = await admitRequest(createMemoryRateCounter(), [], 10, Date.now());
    expect(result).toMatchObject({ ok: true, headers: {} });
  });
});
