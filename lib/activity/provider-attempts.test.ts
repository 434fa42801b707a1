import { describe, expect, it } from "vitest";
import { attemptSuccessRate, withProviderAttempts } from "./provider-attempts";
import type { BreakdownRow } from "./usage-rows";

const row = (id: string, requests: number, errors = 0): BreakdownRow => ({
  id,
  label: id || "No provider",
  requests,
  errors,
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  costUsd: "0.00",
  costNanoUsd: 0,
  avgTtftMs: null,
  avgThroughput: null,
  avgLatencyMs: null,
});

describe("withProviderAttempts", () => {
  it("counts every attempt per provider, keeps served calls apart, and adds providers that were tried but never served", () => {
    // 3 calls: two failed over from broken to fast, one served by fast at once; one call failed everywhere (no provider).
    const rows = [row("fast", 3), row("", 1, 1)];
    const merged = withProviderAttempts(
      rows,
      [
        { providerSlug: "fast", attempts: 4, succeeded: 3 },
        { providerSlug: "broken", attempts: 3, succeeded: 0 },
      ],
      (slug) => `Fake ${slug}`,
    );
    expect(merged.map((r) => [r.id, r.attempts, r.attemptSuccessRate, r.servedCalls])).toEqual([
      ["fast", 4, 0.75, 3],
      ["", 0, null, 0],
      ["broken", 3, 0, 0],
    ]);
    expect(merged[2].label).toBe("Fake broken");
  });

  it("gives the overall attempt success rate, null without attempts", () => {
    expect(
      attemptSuccessRate([
        { providerSlug: "a", attempts: 4, succeeded: 3 },
        { providerSlug: "b", attempts: 4, succeeded: 0 },
      ]),
    ).toBe(3 / 8);
    expect(attemptSuccessRate([])).toBeNull();
  });
});
