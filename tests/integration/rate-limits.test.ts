/**
 * Rate limits through the real routes: a key with rpm 5 in a burst of 20 gets exactly
 * five answers and fifteen 429s with OpenAI's headers, in each surface's error format,
 * with nothing billed and no upstream called for a refused request; a token limit
 * reserves max_tokens up front and settles to the usage; and with Redis, two gateway
 * processes sharing one REDIS_URL spend one budget.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { promptTokenBound } from "@/lib/gateway/holds/prompt-bound";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";
import { createTestTarget } from "@/tests/support/test-database";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const RESET = /^(\d+ms|\d+(\.\d+)?s|1m0s)$/;

async function keyWith(gw: GatewayFixture, limits: { rpmLimit?: number; tpmLimit?: number }): Promise<string> {
  const db = createDb(gw.dbTarget);
  try {
    const { key } = await createApiKey(db, gw.userId, createApiKeyInputSchema.parse({ name: `limited ${randomUUID()}`, ...limits }), new Set());
    return key;
  } finally {
    await db.$disconnect();
  }
}

const chat = (url: string, key: string, body: Record<string, unknown> = {}) =>
  fetch(`${url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "test/chat", messages: [{ role: "user", content: "Hello" }], ...body }),
  });

const messages = (url: string, key: string) =>
  fetch(`${url}/api/anthropic/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": key, "anthropic-version": "2023-06-01", "content-type": "application/json" },
    body: JSON.stringify({ model: "test/claude", max_tokens: 16, messages: [{ role: "user", content: "Hello" }] }),
  });

type Answer = { status: number; headers: Headers; body: Record<string, unknown> };
const answer = async (response: Response): Promise<Answer> => ({
  status: response.status,
  headers: response.headers,
  body: (await response.json()) as Record<string, unknown>,
});

/** What every answer of a burst against an rpm-5 key must show; returns the refusals. */
function expectFiveThenRefusals(answers: Answer[]): Answer[] {
  const ok = answers.filter((a) => a.status === 200);
  const refused = answers.filter((a) => a.status === 429);
  expect(ok).toHaveLength(5);
  expect(refused).toHaveLength(15);
  expect(ok.map((a) => a.headers.get("x-ratelimit-remaining-requests")).sort()).toEqual(["0", "1", "2", "3", "4"]);
  for (const a of ok) {
    expect(a.headers.get("x-ratelimit-limit-requests")).toBe("5");
    expect(a.headers.get("x-ratelimit-reset-requests")).toMatch(RESET);
  }
  for (const a of refused) {
    expect(a.headers.get("x-ratelimit-limit-requests")).toBe("5");
    expect(a.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(a.headers.get("x-ratelimit-reset-requests")).toMatch(RESET);
    // The same numbers as Anthropic writes them: the reset is an instant within the minute.
    expect(a.headers.get("anthropic-ratelimit-requests-limit")).toBe("5");
    expect(a.headers.get("anthropic-ratelimit-requests-remaining")).toBe("0");
    const reset = Date.parse(a.headers.get("anthropic-ratelimit-requests-reset") ?? "");
    expect(reset - Date.now()).toBeGreaterThan(-5_000);
    expect(reset - Date.now()).toBeLessThanOrEqual(61_000);
    const retryAfter = Number(a.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  }
  return refused;
}

describe("rate limits on SQLite", () => {
  let gw: GatewayFixture;
  let db: Db;
  beforeAll(async () => {
    gw = await startGatewayFixture();
    db = createDb(gw.dbTarget);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await gw?.stop();
  });

  const charges = () => db.ledgerEntry.count({ where: { userId: gw.userId, kind: "charge" } });

  it("lets exactly 5 of 20 concurrent chat completions through a key with rpm 5; the rest get OpenAI-style 429s, unbilled and never sent upstream", async () => {
    const key = await keyWith(gw, { rpmLimit: 5 });
    const upstreamBefore = gw.fake.stats().total;
    const chargesBefore = await charges();
    const answers = await Promise.all(Array.from({ length: 20 }, () => chat(gw.url, key).then(answer)));
    const refused = expectFiveThenRefusals(answers);
    expect(refused[0]!.body).toEqual({
      error: {
        code: "429",
        type: "rate_limit",
        message: expect.stringMatching(/^Rate limit reached for this API key: 5 requests per minute\. Retry in /),
        param: null,
      },
    });
    expect(refused[0]!.headers.get("content-type")).toContain("application/json");
    expect(gw.fake.stats().total - upstreamBefore).toBe(5);
    expect((await charges()) - chargesBefore).toBe(5);
  });

  it("does the same on the Anthropic surface, with Anthropic's rate_limit_error", async () => {
    const key = await keyWith(gw, { rpmLimit: 5 });
    const upstreamBefore = gw.fake.stats().total;
    const chargesBefore = await charges();
    const answers = await Promise.all(Array.from({ length: 20 }, () => messages(gw.url, key).then(answer)));
    const refused = expectFiveThenRefusals(answers);
    expect(refused[0]!.body).toMatchObject({
      type: "error",
      error: { type: "rate_limit_error", message: expect.stringMatching(/^Rate limit reached for this API key/) },
    });
    expect(gw.fake.stats().total - upstreamBefore).toBe(5);
    expect((await charges()) - chargesBefore).toBe(5);
  });

  it("reserves max_tokens plus the prompt's byte bound against a tpm limit while a call runs, then settles to what it used", async () => {
    const key = await keyWith(gw, { tpmLimit: 1_000 });
    // The reservation counts the prompt by its O(bytes) bound (holds/prompt-bound.ts), computed on the body as sent.
    const runningBody = { model: "test/any", stream: true, max_tokens: 600, provider: { routing: { type: "order", providers: ["pausing"] } } };
    const bound = (body: Record<string, unknown>) => promptTokenBound({ model: "test/chat", messages: [{ role: "user", content: "Hello" }], ...body });
    // A slow stream: two tokens at one per second, so it is surely in flight below.
    const running = await chat(gw.url, key, runningBody);
    expect(running.status).toBe(200);
    expect(running.headers.get("x-ratelimit-limit-tokens")).toBe("1000");
    const remaining = 1_000 - 600 - bound(runningBody);
    expect(running.headers.get("x-ratelimit-remaining-tokens")).toBe(String(remaining));
    const reader = running.body!.getReader();
    await reader.read();

    expect(200 + bound({ max_tokens: 200 })).toBeGreaterThan(remaining);
    const refused = await answer(await chat(gw.url, key, { max_tokens: 200 }));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("x-ratelimit-limit-tokens")).toBe("1000");
    expect(refused.headers.get("x-ratelimit-remaining-tokens")).toBe(String(remaining));
    expect(refused.headers.get("x-ratelimit-reset-tokens")).toMatch(RESET);
    expect((refused.body.error as { message: string }).message).toMatch(/1000 tokens per minute \(this request reserves \d+, \d+ left\)/);

    while (!(await reader.read()).done);
    const id = running.headers.get("x-request-id")!;
    // Settlement comes before the record is kept, so once the record is readable the tokens are settled.
    let used = 0;
    await expect
      .poll(async () => {
        const response = await fetch(`${gw.url}/api/v1/generation?id=${id}`, { headers: { authorization: `Bearer ${key}` } });
        if (!response.ok) return response.status;
        used = ((await response.json()) as { nativeTokens: { total_tokens: number } }).nativeTokens.total_tokens;
        return response.status;
      })
      .toBe(200);
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThan(600);

    // The unused part of the reservation came back: 800 more tokens fit again.
    const after = await chat(gw.url, key, { max_tokens: 800 });
    expect(after.status).toBe(200);
    await after.text();
    expect(after.headers.get("x-ratelimit-remaining-tokens")).toBe(String(1_000 - used - 800 - bound({ max_tokens: 800 })));
  });

  it("refuses a request bigger than the token limit outright, telling the client not to retry", async () => {
    const key = await keyWith(gw, { tpmLimit: 100 });
    const refused = await answer(await chat(gw.url, key, { max_tokens: 500 }));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("x-should-retry")).toBe("false");
    expect((refused.body.error as { message: string }).message).toMatch(/more than the 100 tokens per minute allowed for this API key/);
  });
});

describe("rate limits shared through Redis", () => {
  const prefix = `switchyard-test:${randomUUID()}`;
  let gw: GatewayFixture;
  let second: SwitchyardProcess;
  let dropTarget: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    // Two instances need one database they can both use: PostgreSQL, as in production.
    const target = await createTestTarget("postgres");
    dropTarget = target.dropTarget;
    gw = await startGatewayFixture({ REDIS_URL, RATE_LIMIT_REDIS_PREFIX: prefix }, { database: target.target });
    second = await startSwitchyard(gw.env);
  });
  afterAll(async () => {
    await second?.stop();
    await gw?.stop();
    await dropTarget();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it("holds one budget across two gateway processes sharing REDIS_URL: 5 of 20, whichever instance each request reaches", async () => {
    const key = await keyWith(gw, { rpmLimit: 5 });
    const urls = [gw.url, second.url];
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => chat(urls[i % 2]!, key).then(answer)));
    expectFiveThenRefusals(answers);
    // The count lives in Redis under this run's prefix, not in either process.
    const db = createDb(gw.dbTarget);
    const redis = new Redis(REDIS_URL);
    try {
      const { id } = await db.apiKey.findFirstOrThrow({ where: { rpmLimit: 5 } });
      expect(await redis.get(`${prefix}:req:key:${id}`)).toBe("5");
    } finally {
      await redis.quit();
      await db.$disconnect();
    }
  });
});
