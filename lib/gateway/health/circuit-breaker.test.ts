import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "./circuit-breaker";
import { EndpointHealth, percentile } from "./endpoint-health";

const options = { failureThreshold: 3, errorRateThreshold: 0.5, minRequests: 6, rateWindowMs: 60_000, cooldownMs: 10_000 };

describe("circuit breaker", () => {
  it("opens after consecutive failures, cools down, lets exactly one probe through half-open", () => {
    let clock = 0;
    const breaker = new CircuitBreaker(options, () => clock);
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state()).toBe("closed");
    breaker.recordFailure();
    expect(breaker.state()).toBe("open");
    expect(breaker.tryAcquire()).toBe(false);
    clock = 10_000;
    expect(breaker.state()).toBe("half_open");
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state()).toBe("closed");
    expect(breaker.tryAcquire()).toBe(true);
  });

  it("reopens when the half-open probe fails", () => {
    let clock = 0;
    const breaker = new CircuitBreaker(options, () => clock);
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    clock = 10_000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state()).toBe("open");
    clock = 19_999;
    expect(breaker.state()).toBe("open");
    clock = 20_000;
    expect(breaker.state()).toBe("half_open");
  });

  it("opens on a high error rate even without consecutive failures", () => {
    const breaker = new CircuitBreaker(options, () => 0);
    for (const ok of [true, false, true, false, true, false]) {
      if (ok) breaker.recordSuccess();
      else breaker.recordFailure();
    }
    expect(breaker.state()).toBe("open");
  });

  it("stays closed while the error rate is below the threshold", () => {
    const breaker = new CircuitBreaker(options, () => 0);
    for (const ok of [true, true, false, true, true, false, true, true]) {
      if (ok) breaker.recordSuccess();
      else breaker.recordFailure();
    }
    expect(breaker.state()).toBe("closed");
  });
});

describe("endpoint health statistics", () => {
  it("computes success rate and percentiles over the window's minute buckets only", () => {
    let clock = 0;
    const health = new EndpointHealth({ windowMs: 60_000, now: () => clock });
    health.recordSuccess("e", { ttftMs: 5000, tokensPerSecond: 10 });
    clock = 125_000; // two buckets later: the first outcome is outside the window
    for (const ttft of [100, 200, 300, 400]) health.recordSuccess("e", { ttftMs: ttft, tokensPerSecond: ttft / 10 });
    health.recordFailure("e");
    const stats = health.stats("e");
    expect(stats.requests).toBe(5);
    expect(stats.successRate).toBe(0.8);
    // Histogram percentiles: within 2.5% of the exact 200, 400 and 20.
    expect(stats.ttftP50Ms).toBeGreaterThan(195);
    expect(stats.ttftP50Ms).toBeLessThan(205);
    expect(stats.ttftP90Ms).toBeGreaterThan(390);
    expect(stats.ttftP90Ms).toBeLessThan(410);
    expect(stats.throughputP50).toBeGreaterThan(19.5);
    expect(stats.throughputP50).toBeLessThan(20.5);
    expect(health.windows("e").day.requests).toBe(6);
  });

  it("reports no numbers, not zeros, for an endpoint without traffic", () => {
    expect(new EndpointHealth().stats("never")).toEqual({
      endpointId: "never",
      requests: 0,
      successRate: null,
      ttftP50Ms: null,
      ttftP90Ms: null,
      throughputP50: null,
      circuit: "closed",
    });
    expect(percentile([], 50)).toBeNull();
  });
});
