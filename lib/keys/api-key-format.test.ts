import { describe, expect, it } from "vitest";
import { API_KEY_LENGTH, API_KEY_PREFIX, generateApiKey, hashApiKey, isWellFormedApiKey, visibleStart } from "./api-key-format";

describe("API key format", () => {
  it("has the sk-sy-v1- prefix, a fixed length and base62 characters", () => {
    const { key } = generateApiKey();
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(key).toHaveLength(API_KEY_LENGTH);
    expect(key.slice(API_KEY_PREFIX.length)).toMatch(/^[0-9A-Za-z]+$/);
  });

  it("carries at least 128 bits of randomness (32 base62 characters ≈ 190 bits) and never repeats", () => {
    expect(32 * Math.log2(62)).toBeGreaterThan(128);
    const keys = new Set(Array.from({ length: 2000 }, () => generateApiKey().key));
    expect(keys.size).toBe(2000);
  });

  it("stores only a SHA-256 hash and a short visible start", () => {
    const { key, hash, start } = generateApiKey();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashApiKey(key));
    expect(hash).not.toContain(key.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + 8));
    expect(start).toBe(key.slice(0, 13));
    expect(visibleStart(key)).toMatch(/^sk-sy-v1-[0-9A-Za-z]{4}$/);
  });

  it("accepts generated keys", () => {
    for (let i = 0; i < 200; i++) expect(isWellFormedApiKey(generateApiKey().key)).toBe(true);
  });

  it("rejects a key with any single character changed (checksum)", () => {
    const { key } = generateApiKey();
    let rejected = 0;
    for (let i = API_KEY_PREFIX.length; i < key.length; i++) {
      const replacement = key[i] === "a" ? "b" : "a";
      if (!isWellFormedApiKey(key.slice(0, i) + replacement + key.slice(i + 1))) rejected++;
    }
    expect(rejected).toBe(key.length - API_KEY_PREFIX.length);
  });

  it("rejects wrong prefixes, lengths and characters", () => {
    const { key } = generateApiKey();
    expect(isWellFormedApiKey(key.replace("sk-sy-v1-", "sk-sy-v2-"))).toBe(false);
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${key}x`)).toBe(false);
    expect(isWellFormedApiKey(key.slice(0, 20) + "-" + key.slice(21))).toBe(false);
    expect(isWellFormedApiKey("")).toBe(false);
    expect(isWellFormedApiKey("sk-proj-abc")).toBe(false);
  });
});
