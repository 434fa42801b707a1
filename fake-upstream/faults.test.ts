import Anthropic, { APIError as AnthropicAPIError } from "@anthropic-ai/sdk";
import OpenAI, { APIError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeStats, type FakeUpstream, startFakeUpstream } from "./server.ts";

let fake: FakeUpstream;

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearKnobs();
  fake.resetStats();
});

/** An OpenAI client for one fake provider name (`/p/<segment>/v1`). */
function openai(segment?: string, options: { maxRetries?: number; timeout?: number } = {}): OpenAI {
  const base = segment ? `${fake.url}/p/${segment}/v1` : `${fake.url}/v1`;
  return new OpenAI({ baseURL: base, apiKey: "sk-test-abcd", maxRetries: 0, ...options });
}
function anthropic(segment?: string): Anthropic {
  const base = segment ? `${fake.url}/p/${segment}` : fake.url;
  return new Anthropic({ baseURL: base, apiKey: "sk-ant-wxyz", maxRetries: 0 });
}
const ask = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };
const askAnthropic = { model: "m", max_tokens: 100, messages: [{ role: "user" as const, content: "hi" }] };

async function waitFor(check: (stats: FakeStats) => boolean): Promise<FakeStats> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const stats = fake.stats();
    if (check(stats) || Date.now() > deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("knob layers", () => {
  it("applies path knobs per provider name", async () => {
    const error = await openai("broken;failStatus=503")
      .chat.completions.create(ask)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as APIError).status).toBe(503);
    const fine = await openai("fine").chat.completions.create(ask);
    expect(fine.choices[0].finish_reason).toBe("stop");
    const text = await openai("t;text=hello%20world;outputTokens=3").chat.completions.create(ask);
    expect(text.choices[0].message.content).toBe("hello world");
  });

  it("lets headers beat path knobs, path beat stored, stored beat defaults", async () => {
    const local = await startFakeUpstream({ defaults: { text: "from defaults" } });
    try {
      const client = new OpenAI({ baseURL: `${local.url}/p/x/v1`, apiKey: "k", maxRetries: 0 });
      const reply = async (segment: string, headers: Record<string, string> = {}) => {
        const c = new OpenAI({ baseURL: `${local.url}/p/${segment}/v1`, apiKey: "k", maxRetries: 0 });
        const completion = await c.chat.completions.create(ask, { headers });
        return completion.choices[0].message.content;
      };
      expect(await reply("x")).toBe("from defaults");
      local.setKnobs("x", { text: "from stored" });
      expect((await client.chat.completions.create(ask)).choices[0].message.content).toBe("from stored");
      expect(await reply("x;text=from%20path")).toBe("from path");
      expect(await reply("x;text=from%20path", { "x-fake-text": "from header" })).toBe("from header");
      local.setKnobs("x", { failStatus: 500 });
      // A later layer can switch an earlier fault off.
      expect(await reply("x;failStatus=none")).toBe("from stored");
    } finally {
      await local.close();
    }
  });

  it("accepts x-fake-* headers and rejects unknown knobs with 400", async () => {
    const error = await openai()
      .chat.completions.create(ask, { headers: { "x-fake-fail-status": "429" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const typo = await openai()
      .chat.completions.create(ask, { headers: { "x-fake-fail-stat": "429" } })
      .catch((e: unknown) => e);
    expect(typo).toBeInstanceOf(OpenAI.BadRequestError);
    expect((typo as Error).message).toContain("fail-stat");
  });

  it("is steerable through /_control/knobs/<name>", async () => {
    const control = `${fake.url}/_control/knobs/ctl`;
    const set = await fetch(control, { method: "POST", body: JSON.stringify({ failStatus: 502 }) });
    expect(set.status).toBe(200);
    await fetch(control, { method: "POST", body: JSON.stringify({ failMessage: "bad gateway" }) });
    const view = (await (await fetch(control)).json()) as { knobs: object; effective: { outputTokens: number } };
    expect(view.knobs).toEqual({ failStatus: 502, failMessage: "bad gateway" });
    expect(view.effective.outputTokens).toBe(12);
    const error = await openai("ctl")
      .chat.completions.create(ask)
      .catch((e: unknown) => e);
    expect((error as APIError).status).toBe(502);
    expect((error as Error).message).toContain("bad gateway");

    await fetch(control, { method: "DELETE" });
    expect((await openai("ctl").chat.completions.create(ask)).choices).toHaveLength(1);
    const invalid = await fetch(control, { method: "POST", body: JSON.stringify({ cut: "sideways" }) });
    expect(invalid.status).toBe(400);
  });
});

describe("faults", () => {
  it("fails only the first failTimes calls, so SDK retries succeed", async () => {
    fake.setKnobs("flaky", { failStatus: 500, failTimes: 2, retryAfterMs: 1 });
    const completion = await openai("flaky", { maxRetries: 2 }).chat.completions.create(ask);
    expect(completion.choices[0].finish_reason).toBe("stop");
    const stats = fake.stats();
    expect(stats.byProvider.flaky).toMatchObject({ calls: 3, chat: 3, failed: 2 });
    expect(stats.lastRequests.map((r) => r.headers["x-stainless-retry-count"])).toEqual(["0", "1", "2"]);
    // The budget is spent: the next call succeeds without retries.
    expect((await openai("flaky").chat.completions.create(ask)).choices).toHaveLength(1);
  });

  it("cut before → connection errors in both SDKs", async () => {
    const error = await openai("c;cut=before")
      .chat.completions.create(ask)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    const anthropicError = await anthropic("c;cut=before")
      .messages.create(askAnthropic)
      .catch((e: unknown) => e);
    expect(anthropicError).toBeInstanceOf(Anthropic.APIConnectionError);
    const stats = fake.stats();
    expect(stats.byProvider.c).toMatchObject({ calls: 2, failed: 2, aborted: 0 });
  });

  it("cut mid → OpenAI stream errors after cutAfterChunks content chunks", async () => {
    const stream = await openai("m;cut=mid;cutAfterChunks=2").chat.completions.create({ ...ask, stream: true });
    const contents: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) contents.push(chunk.choices[0].delta.content);
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(contents).toEqual(["lorem ", "ipsum "]);
    const nonStream = await openai("m;cut=mid")
      .chat.completions.create(ask)
      .catch((e: unknown) => e);
    expect(nonStream).toBeInstanceOf(Error);
  });

  it("cut mid → Anthropic MessageStream rejects", async () => {
    const error = await anthropic("m;cut=mid")
      .messages.stream(askAnthropic)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
  });

  it("emptyStream and errorFirstEvent make the stream helpers fail", async () => {
    const empty = await openai("e;emptyStream")
      .chat.completions.stream(ask)
      .finalChatCompletion()
      .catch((e: unknown) => e);
    expect((empty as Error).message).toContain("without sending any chunks");
    const emptyAnthropic = await anthropic("e;emptyStream")
      .messages.stream(askAnthropic)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(emptyAnthropic).toBeInstanceOf(Error);

    const errored = await openai("x;errorFirstEvent=true;failMessage=upstream%20melted")
      .chat.completions.stream(ask)
      .finalChatCompletion()
      .catch((e: unknown) => e);
    expect(errored).toBeInstanceOf(OpenAI.APIError);
    expect((errored as Error).message).toContain("upstream melted");
    const erroredAnthropic = await anthropic("x;errorFirstEvent")
      .messages.stream(askAnthropic)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(erroredAnthropic).toBeInstanceOf(Anthropic.APIError);
    expect((erroredAnthropic as AnthropicAPIError).error).toMatchObject({ error: { type: "overloaded_error" } });
    expect(fake.stats().byProvider.x.failed).toBe(2);
    // Stream-only faults leave non-streamed calls alone.
    expect((await openai("x;errorFirstEvent").chat.completions.create(ask)).choices).toHaveLength(1);
  });

  it("redirectStatus answers a 3xx with a Location; garbageBody answers 200 with HTML, stream or not", async () => {
    const post = (segment: string, stream: boolean) =>
      fetch(`${fake.url}/p/${segment}/v1/chat/completions`, {
        method: "POST",
        redirect: "manual",
        headers: { authorization: "Bearer k", "content-type": "application/json" },
        body: JSON.stringify({ ...ask, stream }),
      });
    const moved = await post("r;redirectStatus=307", false);
    expect(moved.status).toBe(307);
    expect(moved.headers.get("location")).toBe("/elsewhere");
    expect(await moved.text()).toBe("Redirecting to /elsewhere");
    for (const stream of [false, true]) {
      const garbage = await post("g;garbageBody", stream);
      expect(garbage.status).toBe(200);
      expect(garbage.headers.get("content-type")).toBe("text/html");
      expect(await garbage.text()).toContain("<html>");
    }
    expect(fake.stats().byProvider.g.failed).toBe(2);
  });

  it("hang → client timeout, recorded as aborted once the client gives up", async () => {
    const error = await openai("h;hang", { timeout: 150 })
      .chat.completions.create(ask)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const aborted = await anthropic("h;hang")
      .messages.create(askAnthropic, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(Anthropic.APIUserAbortError);
    const stats = await waitFor((s) => s.byProvider.h?.aborted === 2);
    expect(stats.byProvider.h).toMatchObject({ calls: 2, aborted: 2, inFlight: 0 });
  });

  it("close() destroys hanging sockets instead of waiting for them", async () => {
    const local = await startFakeUpstream({ defaults: { hang: true } });
    const pending = fetch(`${local.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer k" },
      body: JSON.stringify(ask),
    }).catch((e: unknown) => e);
    for (let i = 0; i < 100 && local.stats().byProvider.default?.inFlight !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await local.close(); // Would never resolve if the hanging socket were left open.
    expect(await pending).toBeInstanceOf(Error);
  });

  it("stops producing when the client disconnects mid-stream", async () => {
    const stream = await openai("slow;tokensPerSecond=50;outputTokens=500").chat.completions.create({ ...ask, stream: true });
    let seen = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) seen += 1;
      if (seen === 3) break; // Breaking aborts the request.
    }
    const stats = await waitFor((s) => s.byProvider.slow?.inFlight === 0);
    expect(stats.byProvider.slow).toMatchObject({ aborted: 1, inFlight: 0, streamed: 1 });
  });
});

describe("timing", () => {
  it("ttftMs delays the first chunk and tokensPerSecond paces the rest", async () => {
    const started = performance.now();
    const stream = await openai("t;ttftMs=250;tokensPerSecond=100;outputTokens=11").chat.completions.create({ ...ask, stream: true });
    let first = 0;
    let lastContent = 0;
    for await (const chunk of stream) {
      if (!first) first = performance.now() - started;
      if (chunk.choices[0]?.delta.content) lastContent = performance.now() - started;
    }
    expect(first).toBeGreaterThanOrEqual(0.8 * 250);
    // 10 gaps of 10 ms after the first content chunk.
    expect(lastContent - first).toBeGreaterThanOrEqual(0.8 * 100);
  });

  it("latencyMs delays the response headers, streamed or not", async () => {
    const started = performance.now();
    await anthropic("l;latencyMs=200").messages.create(askAnthropic);
    expect(performance.now() - started).toBeGreaterThanOrEqual(0.8 * 200);
  });
});

describe("stats", () => {
  it("counts calls per provider and records what was sent, keys redacted", async () => {
    await openai().chat.completions.create(ask);
    await openai("a;outputTokens=2").chat.completions.stream(ask).finalChatCompletion();
    await anthropic("b").messages.create(askAnthropic);
    await anthropic("b").messages.stream(askAnthropic).finalMessage();
    await fetch(`${fake.url}/p/b/v1/messages/count_tokens`, {
      method: "POST",
      headers: { "x-api-key": "key-5678", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "m", messages: askAnthropic.messages }),
    });

    const stats = fake.stats();
    expect(stats.total).toBe(5);
    expect(stats.byProvider.default).toMatchObject({ calls: 1, chat: 1, messages: 0, streamed: 0, failed: 0 });
    expect(stats.byProvider.a).toMatchObject({ calls: 1, chat: 1, streamed: 1, inFlight: 0 });
    expect(stats.byProvider.b).toMatchObject({ calls: 3, chat: 0, messages: 2, streamed: 1, aborted: 0 });
    const [first, second, third] = stats.lastRequests;
    expect(first).toMatchObject({ provider: "default", path: "/v1/chat/completions", model: "m", method: "POST" });
    expect(first.headers.authorization).toBe("***abcd");
    expect(first.body).toMatchObject({ model: "m", messages: ask.messages });
    expect(second).toMatchObject({ provider: "a", path: "/v1/chat/completions", stream: true });
    expect(second.url).toBe("/p/a;outputTokens=2/v1/chat/completions");
    // This Anthropic SDK version authenticates with `Authorization: Bearer`, not x-api-key.
    expect(third.headers.authorization ?? third.headers["x-api-key"]).toBe("***wxyz");
    expect(third.headers["anthropic-version"]).toBeDefined();
    expect(stats.lastRequests[4]).toMatchObject({ path: "/v1/messages/count_tokens", model: "m" });
    expect(stats.lastRequests[4].headers["x-api-key"]).toBe("***5678");

    const overHttp = (await (await fetch(`${fake.url}/_stats`)).json()) as FakeStats;
    expect(overHttp).toEqual(stats);
    await fetch(`${fake.url}/_stats/reset`, { method: "POST" });
    expect(fake.stats()).toEqual({ total: 0, byProvider: {}, lastRequests: [] });
  });

  it("keeps only the last 50 requests and answers unknown routes with 404", async () => {
    await Promise.all(Array.from({ length: 55 }, () => openai().models.list()));
    const missing = await fetch(`${fake.url}/v1/nope`, { headers: { authorization: "Bearer k" } });
    expect(missing.status).toBe(404);
    const stats = fake.stats();
    expect(stats.total).toBe(56);
    expect(stats.lastRequests).toHaveLength(50);
    expect(stats.byProvider.default.failed).toBe(1);
  });
});
