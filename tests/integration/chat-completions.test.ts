/**
 * POST /api/v1/chat/completions through the real server and the fake upstream:
 * routing, failover on every trigger, never after the first byte, pinning, order,
 * priority, fallbacks, disconnects, the generation record, and bad bodies.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { poll } from "@/tests/support/poll";

let gw: GatewayFixture;
beforeAll(async () => {
  gw = await startGatewayFixture();
});
afterAll(async () => gw?.stop());

const messages = [{ role: "user", content: "Say hello" }];

function chat(body: Record<string, unknown>, init: { key?: string | null; signal?: AbortSignal; raw?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const key = init.key === undefined ? gw.key : init.key;
  if (key) headers.authorization = `Bearer ${key}`;
  return fetch(`${gw.url}/api/v1/chat/completions`, { method: "POST", headers, body: init.raw ?? JSON.stringify({ messages, ...body }), signal: init.signal });
}

async function generation(id: string) {
  const response = await fetch(`${gw.url}/api/v1/generation?id=${id}`, { headers: { authorization: `Bearer ${gw.key}` } });
  expect(response.status).toBe(200);
  return response.json();
}

/**
 * A stream's record once it exists: a stream settles just after its last byte (and after
 * its headers, for a client that reads no further), so the lookup can be 404 for a moment.
 */
async function settledGeneration(id: string) {
  const started = Date.now();
  for (;;) {
    const response = await fetch(`${gw.url}/api/v1/generation?id=${id}`, { headers: { authorization: `Bearer ${gw.key}` } });
    if (response.status !== 404 || Date.now() - started > 3000) {
      expect(response.status).toBe(200);
      return response.json();
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const calls = (name: string) => gw.fake.stats().byProvider[name]?.calls ?? 0;

const eventually = <T>(read: () => Promise<T> | T, ok: (value: T) => boolean, timeoutMs = 3000): Promise<T> => poll(read, ok, { timeoutMs });

describe("serving a request", () => {
  it("answers with the served model's slug, the provider and a generation id, and records the call at once", async () => {
    const response = await chat({ model: "test/chat" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.model).toBe("test/chat");
    expect(body.choices[0].message.content).toContain("lorem");
    const id = response.headers.get("x-request-id")!;
    expect(id).toMatch(/^gen_/);
    const provider = response.headers.get("x-switchyard-provider");
    expect(["fast", "slow"]).toContain(provider);

    const record = await generation(id);
    expect(record).toMatchObject({
      api: "chat.completions",
      generationId: id,
      model: "test/chat",
      provider,
      status: "success",
      streamed: false,
      finishReason: "stop",
    });
    expect(record.nativeTokens.completion_tokens).toBe(6);
    expect(record.attempts).toHaveLength(1);
    expect(record.attempts[0]).toMatchObject({ provider, served: true, status: "success" });
    expect(Number(record.costUsd)).toBeGreaterThan(0);
    expect(record.ratingResponses.ratingDetails.map((d: { feeItemCode: string }) => d.feeItemCode)).toEqual(["prompt", "completion"]);
  });

  it("bills cached tokens at the cache-read price", async () => {
    const response = await chat({ model: "test/cached" });
    const record = await generation(response.headers.get("x-request-id")!);
    const cacheLine = record.ratingResponses.ratingDetails.find((d: { feeItemCode: string }) => d.feeItemCode === "input_cache_read");
    expect(cacheLine).toMatchObject({ quantity: 1000, rate: 0.5, billAmount: 0.0005 });
    expect(record.nativeTokens.prompt_tokens_details.cached_tokens).toBe(1000);
  });

  it("resolves aliases and unique bare names, and refuses unknown and ambiguous ones", async () => {
    expect((await (await chat({ model: "chat-alias" })).json()).model).toBe("test/chat");
    expect((await (await chat({ model: "priced" })).json()).model).toBe("test/priced");
    const unknown = await chat({ model: "test/nope" });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatchObject({ code: "404", type: "invalid_model" });
    const ambiguous = await chat({ model: "chat" });
    expect(ambiguous.status).toBe(404);
    expect((await ambiguous.json()).error.message).toMatch(/ambiguous.*other\/chat.*test\/chat|ambiguous.*test\/chat.*other\/chat/);
  });

  it("says why when a model has no usable provider", async () => {
    const noCredential = await chat({ model: "test/nocred" });
    expect(noCredential.status).toBe(502);
    expect((await noCredential.json()).error).toMatchObject({ type: "no_provider_available", message: expect.stringContaining("UNSET_PROVIDER_API_KEY") });
    const tiny = await chat({ model: "test/tiny-context", messages: [{ role: "user", content: "x".repeat(1000) }] });
    expect(tiny.status).toBe(413);
    const tools = await chat({ model: "test/no-tools", tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }] });
    expect((await tools.json()).error.message).toMatch(/does not support tools/);
  });

  it("keeps a key to its allowed models", async () => {
    const refused = await chat({ model: "test/chat" }, { key: gw.limitedKey });
    expect(refused.status).toBe(403);
    expect((await chat({ model: "test/priced" }, { key: gw.limitedKey })).status).toBe(200);
  });
});

describe("routing", () => {
  it("prefers the provider with the lowest recent time to first token once both are measured", async () => {
    for (let i = 0; i < 12; i++) await (await chat({ model: "test/chat", stream: true })).text();
    const served = [];
    for (let i = 0; i < 5; i++) {
      const response = await chat({ model: "test/chat", stream: true });
      served.push(response.headers.get("x-switchyard-provider"));
      await response.text();
    }
    expect(served).toEqual(["fast", "fast", "fast", "fast", "fast"]);
  });

  it("routes by price when asked (provider.routing and the zenmux-route form)", async () => {
    for (const options of [{ provider: { routing: { type: "priority", primary_factor: "price" } } }, { "zenmux-route": { strategy: "cost" } }]) {
      const response = await chat({ model: "test/priced", ...options });
      expect(response.headers.get("x-switchyard-provider")).toBe("cheap");
    }
  });

  it("pins a provider with :provider and returns that provider's own error", async () => {
    expect((await chat({ model: "test/chat:slow" })).headers.get("x-switchyard-provider")).toBe("slow");
    const fastBefore = calls("fast");
    const pinned = await chat({ model: "test/any:broken" });
    expect(pinned.status).toBe(503);
    expect(calls("fast")).toBe(fastBefore);
  });

  it("tries an order list in order, stopping at the first success; a list of one is exclusive", async () => {
    const response = await chat({ model: "test/any", provider: { routing: { type: "order", providers: ["broken", "slow", "fast"] } } });
    expect(response.headers.get("x-switchyard-provider")).toBe("slow");
    const record = await generation(response.headers.get("x-request-id")!);
    expect(record.attempts.map((a: { provider: string; status: string }) => [a.provider, a.status])).toEqual([
      ["broken", "error"],
      ["slow", "success"],
    ]);
    const single = await chat({ model: "test/any", provider: { routing: { type: "order", providers: ["ratelimited"] } } });
    expect(single.status).toBe(429);
  });

  it("falls back to other models when every candidate failed (provider.fallback, models, zenmux-route)", async () => {
    for (const options of [{ provider: { fallback: "test/chat" } }, { models: ["test/nope", "test/chat"] }, { "zenmux-route": { fallback: ["test/chat"] } }]) {
      const response = await chat({ model: "test/broken-only", ...options });
      expect(response.status).toBe(200);
      expect((await response.json()).model).toBe("test/chat");
    }
  });
});

describe("the account's default fallback model", () => {
  it("is tried last, and a change to it reaches the gateway within a second", async () => {
    expect((await chat({ model: "test/broken-only" })).status).toBe(502);
    const db = createDb(gw.dbTarget);
    await db.user.update({ where: { id: gw.userId }, data: { defaultFallbackModel: "test/priced" } });
    await db.$disconnect();
    const served = await eventually(
      () => chat({ model: "test/broken-only" }),
      (r) => r.status === 200,
      1500,
    );
    expect(served.status).toBe(200);
    expect((await served.json()).model).toBe("test/priced");

    const reset = createDb(gw.dbTarget);
    await reset.user.update({ where: { id: gw.userId }, data: { defaultFallbackModel: null } });
    await reset.$disconnect();
    expect(
      (
        await eventually(
          () => chat({ model: "test/broken-only" }),
          (r) => r.status === 502,
          1500,
        )
      ).status,
    ).toBe(502);
  });
});

describe("secrets", () => {
  it("never shows the upstream credential or the client's key in a response or a log line", async () => {
    const response = await chat({ model: "test/any:leaky" });
    const text = await response.text();
    expect(response.status).toBe(401);
    expect(text).toContain("bad key");
    expect(text).not.toContain("fake-upstream-secret-credential");
    const output = gw.server.output();
    expect(output).not.toContain("fake-upstream-secret-credential");
    expect(output).not.toContain(gw.key);
  });
});

describe("failover before the first byte", () => {
  const triggers: [string, boolean][] = [
    ["down", false],
    ["broken", false],
    ["overloaded", false],
    ["ratelimited", false],
    ["timeout408", false],
    ["hanging", false],
    ["refused", false],
    ["empty", true],
    ["errorfirst", true],
    ["broken", true],
    ["hanging", true],
  ];
  for (const [trigger, stream] of triggers) {
    it(`moves on from ${trigger} (${stream ? "stream" : "JSON"})`, async () => {
      const response = await chat({ model: "test/any", stream, provider: { routing: { type: "order", providers: [trigger, "fast"] } } });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-switchyard-provider")).toBe("fast");
      const text = await response.text();
      if (stream) expect(text.trim().endsWith("data: [DONE]")).toBe(true);
      const record = await (stream ? settledGeneration : generation)(response.headers.get("x-request-id")!);
      expect(record.attempts[0]).toMatchObject({ provider: trigger, served: false });
      expect(record.attempts.at(-1)).toMatchObject({ provider: "fast", served: true });
    });
  }

  it("returns a 400 or 422 from the provider as is, without trying another", async () => {
    for (const [provider, status] of [
      ["badrequest", 400],
      ["unprocessable", 422],
    ] as const) {
      const fastBefore = calls("fast");
      const response = await chat({ model: "test/any", provider: { routing: { type: "order", providers: [provider, "fast"] } } });
      expect(response.status).toBe(status);
      expect(response.headers.get("x-should-retry")).toBe("false");
      expect(calls("fast")).toBe(fastBefore);
    }
  });

  it("never fails over after the first byte: the client gets an in-stream error", async () => {
    const fastBefore = calls("fast");
    const response = await chat({ model: "test/any", stream: true, provider: { routing: { type: "order", providers: ["midcut", "fast"] } } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"content":"lorem ');
    expect(text).toMatch(/data: \{"error":\{"code":"502","type":"provider_error"/);
    expect(text).not.toContain("[DONE]");
    expect(calls("fast")).toBe(fastBefore);
    const record = await eventually(
      () => settledGeneration(response.headers.get("x-request-id")!),
      (r) => r.status === "error",
    );
    expect(record).toMatchObject({ provider: "midcut", status: "error" });
  });

  it("skips a provider whose circuit opened, without calling it", async () => {
    for (let i = 0; i < 5; i++) await chat({ model: "test/any", provider: { routing: { type: "order", providers: ["overloaded", "fast"] } } });
    const before = calls("overloaded");
    const response = await chat({ model: "test/any", provider: { routing: { type: "order", providers: ["overloaded", "fast"] } } });
    expect(response.status).toBe(200);
    expect(calls("overloaded")).toBe(before);
    const record = await generation(response.headers.get("x-request-id")!);
    expect(record.attempts.map((a: { provider: string }) => a.provider)).toEqual(["fast"]);
  });

  it("reports 502 with every attempt when all candidates fail", async () => {
    const response = await chat({ model: "test/any", provider: { routing: { type: "order", providers: ["broken", "ratelimited"] } } });
    expect(response.status).toBe(502);
    expect((await response.json()).error).toMatchObject({ type: "no_provider_available", message: expect.stringMatching(/broken: 503.*ratelimited: 429/) });
  });
});

describe("failures are never a success or a redirect", () => {
  // What the client sees: its protocol's error, with a 4xx/5xx status, as JSON even when it asked for a stream.
  async function expectError(response: Response, status: number, message: RegExp) {
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body.error).toMatchObject({ message: expect.stringMatching(message) });
    return body;
  }

  for (const stream of [false, true]) {
    it(`answers a pinned provider's redirect or 200-with-HTML with 502 (${stream ? "stream" : "JSON"})`, async () => {
      await expectError(await chat({ model: "test/faults:moved", stream }), 502, /upstream answered 302 \(redirects are not followed\)/);
      await expectError(await chat({ model: "test/faults:moved307", stream }), 502, /upstream answered 307/);
      await expectError(await chat({ model: "test/faults:garbage", stream }), 502, stream ? /stream ended before its first event/ : /not JSON/);
    });

    it(`fails over from a redirect and from 200-with-HTML, and reports 502 when nothing else is left (${stream ? "stream" : "JSON"})`, async () => {
      const served = await chat({ model: "test/faults", stream, provider: { routing: { type: "order", providers: ["moved", "garbage", "fast"] } } });
      expect(served.status).toBe(200);
      await served.text();
      const record = await (stream ? settledGeneration : generation)(served.headers.get("x-request-id")!);
      expect(record.attempts.map((a: { provider: string; error: { type: string } | null }) => [a.provider, a.error?.type ?? null])).toEqual([
        ["moved", "provider_redirect"],
        ["garbage", "provider_error"],
        ["fast", null],
      ]);
      const body = await expectError(
        await chat({ model: "test/faults", stream, provider: { routing: { type: "order", providers: ["moved", "garbage"] } } }),
        502,
        /Every provider failed/,
      );
      expect(body.error.type).toBe("no_provider_available");
    });
  }

  it("answers a pinned stream that opens with an error event with a 5xx and the provider's error, not 200", async () => {
    const response = await chat({ model: "test/any:errorfirst", stream: true });
    const body = await expectError(response, 502, /The server had an error/);
    expect(body.error.type).toBe("server_error");
  });

  it("refuses a pin naming no provider of the model with 404, naming the problem, without calling upstream", async () => {
    const before = gw.fake.stats().total;
    const body = await expectError(await chat({ model: "test/chat:nosuch" }), 404, /test\/chat has no provider nosuch: its providers are fast, slow/);
    expect(body.error.type).toBe("invalid_model");
    expect(gw.fake.stats().total).toBe(before);
  });
});

describe("streaming", () => {
  it("sends keep-alive comments while the upstream is silent", async () => {
    const response = await chat({ model: "test/any", stream: true, provider: { routing: { type: "order", providers: ["pausing"] } } });
    const text = await response.text();
    expect(text).toContain(": keep-alive");
    expect(text.trim().endsWith("data: [DONE]")).toBe(true);
  });

  it("aborts the upstream at once when the client leaves, and records what was produced", async () => {
    const controller = new AbortController();
    const response = await chat(
      { model: "test/any", stream: true, provider: { routing: { type: "order", providers: ["trickle"] } } },
      { signal: controller.signal },
    );
    const id = response.headers.get("x-request-id")!;
    const reader = response.body!.getReader();
    let received = "";
    while (!received.includes("ipsum")) received += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const stats = await eventually(
      () => gw.fake.stats().byProvider.trickle,
      (s) => s.aborted >= 1 && s.inFlight === 0,
    );
    expect(stats).toMatchObject({ aborted: 1, inFlight: 0 });
    const record = await eventually(
      () => settledGeneration(id),
      (r) => r.status === "aborted",
    );
    expect(record.status).toBe("aborted");
    expect(record.nativeTokens.completion_tokens).toBeGreaterThan(0);
    expect(record.nativeTokens.completion_tokens).toBeLessThan(400);
  });
});

describe("bad input", () => {
  const cases: [string, string | Record<string, unknown>, number, RegExp][] = [
    ["malformed JSON", "{not json", 400, /not valid JSON/],
    ["an empty body", "", 400, /empty/],
    ["an array body", "[]", 400, /JSON object/],
    ["a missing model", { messages }, 400, /Parameter model is required/],
    ["an empty model", { model: " ", messages }, 400, /Parameter model is required/],
    ["a numeric model", { model: 5, messages }, 400, /Parameter model/],
    ["missing messages", { model: "test/chat", messages: undefined }, 400, /Parameter messages is required/],
    ["empty messages", { model: "test/chat", messages: [] }, 400, /Parameter messages can not be empty/],
    ["a null message", { model: "test/chat", messages: [null] }, 400, /Parameter messages\[0\] can not be null/],
    ["a message without role", { model: "test/chat", messages: [{ content: "x" }] }, 400, /Parameter messages\[0\]\.role/],
    ["an unknown role", { model: "test/chat", messages: [{ role: "robot", content: "x" }] }, 400, /Parameter messages\[0\]\.role is not valid/],
    ["content of the wrong type", { model: "test/chat", messages: [{ role: "user", content: 42 }] }, 400, /Parameter messages\[0\]\.content/],
    ["a negative temperature", { model: "test/chat", messages, temperature: -1 }, 400, /Parameter temperature is not valid/],
    ["a temperature as a string", { model: "test/chat", messages, temperature: "hot" }, 400, /Parameter temperature/],
    ["top_p above 1", { model: "test/chat", messages, top_p: 1.5 }, 400, /Parameter top_p is not valid/],
    ["n above 1", { model: "test/chat", messages, n: 3 }, 400, /Parameter n greater than 1 is not supported/],
    ["zero max_tokens", { model: "test/chat", messages, max_tokens: 0 }, 400, /Parameter max_tokens must be at least 1/],
    ["fractional max_tokens", { model: "test/chat", messages, max_tokens: 1.5 }, 400, /Parameter max_tokens must be an integer/],
    ["stream as a string", { model: "test/chat", messages, stream: "yes" }, 400, /Parameter stream/],
    [
      "stream_options without stream",
      { model: "test/chat", messages, stream_options: { include_usage: true } },
      400,
      /stream_options is not supported while stream is false/,
    ],
    ["an unknown routing type", { model: "test/chat", messages, provider: { routing: { type: "random" } } }, 400, /Parameter provider\.routing/],
    [
      "an empty providers list",
      { model: "test/chat", messages, provider: { routing: { type: "order", providers: [] } } },
      400,
      /Parameter provider\.routing\.providers can not be empty/,
    ],
    [
      "an unknown priority factor",
      { model: "test/chat", messages, provider: { routing: { type: "priority", primary_factor: "vibes" } } },
      400,
      /primary_factor is not valid/,
    ],
    ["a non-function tool", { model: "test/chat", messages, tools: [{ type: "retrieval" }] }, 400, /Parameter tools\[0\]\.type/],
    ["five stop sequences", { model: "test/chat", messages, stop: ["a", "b", "c", "d", "e"] }, 400, /Parameter stop/],
    ["an unknown response format", { model: "test/chat", messages, response_format: { type: "yaml" } }, 400, /Parameter response_format\.type is not valid/],
    [
      "a body over the size limit",
      { model: "test/chat", messages: [{ role: "user", content: "x".repeat(300_000) }] },
      413,
      /larger than the 200000-byte limit/,
    ],
  ];

  it.each(cases)("refuses %s without calling upstream", async (_name, body, status, message) => {
    const before = gw.fake.stats().total;
    const response = await chat({}, { raw: typeof body === "string" ? body : JSON.stringify(body) });
    expect(response.status).toBe(status);
    expect(response.headers.get("x-should-retry")).toBe("false");
    const payload = await response.json();
    expect(payload.error).toMatchObject({ code: String(status), type: "invalid_params" });
    expect(payload.error.message).toMatch(message);
    expect(gw.fake.stats().total).toBe(before);
  });

  it("stays up after all of that", async () => {
    expect((await fetch(`${gw.url}/api/health`)).status).toBe(200);
  });

  it("refuses a missing or revoked key with 401 before reading the body", async () => {
    const response = await chat({ model: "test/chat" }, { key: null });
    expect(response.status).toBe(401);
    expect((await response.json()).error.type).toBe("invalid_api_key");
  });
});
