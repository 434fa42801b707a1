import { describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMIT_SETTINGS } from "../../settings/rate-limit-settings";
import { findModelFamily, matchesGlob, selectRateLimitRules, type RateLimitedCaller } from "./rate-limit-rules";

const caller = (overrides: Partial<RateLimitedCaller> = {}): RateLimitedCaller => ({
  keyId: "k1",
  userId: "u1",
  rpmLimit: null,
  tpmLimit: null,
  accountRpmLimit: null,
  accountTpmLimit: null,
  ...overrides,
});

describe("rate-limit rules", () => {
  it("matches globs on the whole slug, case-insensitively, with regex characters taken literally", () => {
    expect(matchesGlob("openai/gpt-*", "openai/gpt-4o-mini")).toBe(true);
    expect(matchesGlob("openai/gpt-*", "azure/openai/gpt-4o")).toBe(false);
    expect(matchesGlob("*image*", "google/Gemini-2.5-Flash-IMAGE")).toBe(true);
    expect(matchesGlob("openai/gpt-4.1", "openai/gpt-4x1")).toBe(false);
    expect(matchesGlob("anthropic/claude-*", "anthropic/claude-sonnet-4.5")).toBe(true);
  });

  it("puts a model in the first family that matches, as the seed FAQ's defaults intend", () => {
    const families = DEFAULT_RATE_LIMIT_SETTINGS.families;
    expect(findModelFamily("openai/gpt-5", families)).toMatchObject({ name: "GPT", rpm: 60 });
    expect(findModelFamily("openai/o3", families)).toMatchObject({ name: "GPT" });
    expect(findModelFamily("anthropic/claude-opus-4.5", families)).toMatchObject({ name: "Claude", rpm: 100 });
    expect(findModelFamily("openai/gpt-image-1", families)).toMatchObject({ name: "Image", rpm: 20 });
    expect(findModelFamily("deepseek/deepseek-chat", families)).toBeNull();
  });

  it("applies the key's limits, the account's (override before default) and the family's per account", () => {
    const settings = { account: { rpm: 300, tpm: 100_000 }, families: [{ name: "Claude Models", patterns: ["anthropic/claude-*"], rpm: 100, tpm: null }] };
    expect(selectRateLimitRules(caller({ rpmLimit: 5, accountTpmLimit: 2_000 }), "anthropic/claude-haiku-4.5", settings)).toEqual([
      { scope: "key", bucket: "key:k1", label: "this API key", rpm: 5, tpm: null },
      { scope: "account", bucket: "account:u1", label: "this account", rpm: 300, tpm: 2_000 },
      { scope: "family", bucket: "family:claude-models:u1", label: "Claude Models models", rpm: 100, tpm: null },
    ]);
  });

  it("leaves out budgets with no limit at all", () => {
    expect(selectRateLimitRules(caller(), "deepseek/deepseek-chat", DEFAULT_RATE_LIMIT_SETTINGS)).toEqual([]);
    expect(selectRateLimitRules(caller({ tpmLimit: 1000 }), "x/y", { account: { rpm: null, tpm: null }, families: [] }).map((r) => r.scope)).toEqual(["key"]);
  });
});
