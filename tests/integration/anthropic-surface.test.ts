/**
 * The Anthropic Messages surface with the official @anthropic-ai/sdk (and the openai
 * SDK for the reverse direction) through the real routes and the fake upstream:
 * native pass-through, translation both ways, streams consumed by the SDKs' own
 * helpers, failover across protocols, errors in Anthropic's shape, count_tokens.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countMessagesTokens } from "@/lib/gateway/tokens/count-tokens";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

let gw: GatewayFixture;
let anthropic: Anthropic;
let openai: OpenAI;
beforeAll(async () => {
  gw = await startGatewayFixture();
  anthropic = new Anthropic({ baseURL: `${gw.url}/api/anthropic`, apiKey: gw.key, maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: gw.key, maxRetries: 0 });
});
afterAll(async () => gw?.stop());

const weatherTool = {
  name: "get_weather",
  description: "Weather for a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};
const lastRequest = (provider: string) => [...gw.fake.stats().lastRequests].reverse().find((r) => r.provider === provider);

describe("native: Anthropic client, Anthropic upstream", () => {
  it("passes system blocks with cache_control, metadata and betas through, and answers with the served slug", async () => {
    const message = await anthropic.messages.create(
      {
        model: "claude-test-1",
        max_tokens: 64,
        system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
        metadata: { user_id: "u-1" },
        messages: [{ role: "user", content: "Hello" }],
      },
      { headers: { "anthropic-beta": "prompt-caching-2024-07-31" } },
    );
    expect(message.model).toBe("test/claude");
    expect(message.content[0]).toMatchObject({ type: "text" });
    const sent = lastRequest("claude-native")!;
    expect(sent.body).toMatchObject({
      model: "upstream-claude-native",
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      metadata: { user_id: "u-1" },
    });
    expect(sent.headers["anthropic-beta"]).toBe("prompt-caching-2024-07-31");
  });

  it("streams event by event into the SDK's finalMessage, with thinking and its signature intact", async () => {
    const stream = anthropic.messages.stream({
      model: "test/claude",
      max_tokens: 2048,
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: [{ role: "user", content: "Think" }],
    });
    const final = await stream.finalMessage();
    const thinking = final.content.find((b) => b.type === "thinking");
    expect(thinking?.type === "thinking" && thinking.signature.length).toBeGreaterThan(0);
    expect(final.content.some((b) => b.type === "text")).toBe(true);
    expect(final.model).toBe("test/claude");
  });

  it("returns tool_use blocks, streamed and not", async () => {
    const message = await anthropic.messages.create({
      model: "test/claude",
      max_tokens: 64,
      tools: [weatherTool],
      messages: [{ role: "user", content: "Weather?" }],
    });
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content.find((b) => b.type === "tool_use")).toMatchObject({ name: "get_weather", input: { city: "test" } });
    const streamed = await anthropic.messages
      .stream({ model: "test/claude", max_tokens: 64, tools: [weatherTool], messages: [{ role: "user", content: "Weather?" }] })
      .finalMessage();
    expect(streamed.content.find((b) => b.type === "tool_use")).toMatchObject({ input: { city: "test" } });
  });
});

describe("translated: Anthropic client, OpenAI upstream", () => {
  it("creates and streams a message from an OpenAI-protocol model", async () => {
    const message = await anthropic.messages.create({
      model: "test/chat:fast",
      max_tokens: 64,
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(message).toMatchObject({ type: "message", role: "assistant", model: "test/chat", stop_reason: "end_turn" });
    expect(message.content[0].type === "text" && message.content[0].text).toMatch(/lorem/);
    expect(message.usage.output_tokens).toBe(6);
    const sent = lastRequest("fast")!;
    expect(sent.body).toMatchObject({
      model: "upstream-fast",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello" },
      ],
    });

    const final = await anthropic.messages.stream({ model: "test/chat:fast", max_tokens: 64, messages: [{ role: "user", content: "Hello" }] }).finalMessage();
    expect(final.content[0].type === "text" && final.content[0].text).toMatch(/lorem/);
  });

  it("turns OpenAI tool calls into tool_use blocks, streamed and not", async () => {
    const message = await anthropic.messages.create({
      model: "test/chat:fast",
      max_tokens: 64,
      tools: [weatherTool],
      messages: [{ role: "user", content: "Weather?" }],
    });
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content.find((b) => b.type === "tool_use")).toMatchObject({ name: "get_weather", input: { city: "test" } });
    const streamed = await anthropic.messages
      .stream({ model: "test/chat:fast", max_tokens: 64, tools: [weatherTool], messages: [{ role: "user", content: "Weather?" }] })
      .finalMessage();
    expect(streamed.content.find((b) => b.type === "tool_use")).toMatchObject({ input: { city: "test" } });
  });
});

describe("translated: OpenAI client, Anthropic upstream", () => {
  it("creates, streams (the .stream() helper) and calls tools on an Anthropic-protocol model", async () => {
    const completion = await openai.chat.completions.create({
      model: "test/claude",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello" },
      ],
    });
    expect(completion.model).toBe("test/claude");
    expect(completion.choices[0].message.content).toMatch(/lorem/);
    expect(completion.choices[0].finish_reason).toBe("stop");
    const sent = lastRequest("claude-native")!;
    expect(sent.body).toMatchObject({ system: "Be brief.", messages: [{ role: "user" }] });
    expect(typeof (sent.body as { max_tokens?: unknown }).max_tokens).toBe("number");

    const final = await openai.chat.completions.stream({ model: "test/claude", messages: [{ role: "user", content: "Hello" }] }).finalChatCompletion();
    expect(final.choices[0].message.content).toMatch(/lorem/);

    const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: weatherTool.input_schema } }];
    const streamedTools = await openai.chat.completions
      .stream({ model: "test/claude", messages: [{ role: "user", content: "Weather?" }], tools })
      .finalChatCompletion();
    const call = streamedTools.choices[0].message.tool_calls?.[0];
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual({ city: "test" });
  });

  it("fails over from an overloaded Anthropic-protocol provider to an OpenAI-protocol one", async () => {
    const response = await fetch(`${gw.url}/api/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": gw.key, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        model: "test/mixed",
        max_tokens: 32,
        provider: { routing: { type: "order", providers: ["claude-overloaded", "fast"] } },
        messages: [{ role: "user", content: "Hi" }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchyard-provider")).toBe("fast");
    const record = await gw.recordOf(response);
    expect(record).toMatchObject({ api: "messages", provider: "fast" });
    expect(record.attempts.map((a) => [a.provider, a.httpStatus])).toEqual([
      ["claude-overloaded", 529],
      ["fast", 200],
    ]);
  });
});

describe("fallbacks across protocols", () => {
  it("falls back from a failing OpenAI-protocol model to an Anthropic-protocol one, and the reverse", async () => {
    const viaOpenAi = await openai.chat.completions.create({
      model: "test/broken-only",
      messages: [{ role: "user", content: "Hi" }],
      provider: { fallback: "test/claude" },
    } as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming);
    expect(viaOpenAi.model).toBe("test/claude");
    expect(viaOpenAi.choices[0].message.content).toMatch(/lorem/);
    const response = await fetch(`${gw.url}/api/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": gw.key, "content-type": "application/json" },
      body: JSON.stringify({ model: "test/mixed:claude-overloaded", max_tokens: 16, messages: [{ role: "user", content: "Hi" }] }),
    });
    // A pin is exclusive: the overloaded provider's own error, in Anthropic's shape.
    expect(response.status).toBe(529);
    const viaAnthropic = await anthropic.messages.create({
      model: "test/mixed",
      max_tokens: 16,
      messages: [{ role: "user", content: "Hi" }],
      models: ["test/chat"],
    } as Anthropic.MessageCreateParamsNonStreaming);
    expect(viaAnthropic.content[0].type).toBe("text");
  });
});

describe("failures are never a success or a redirect", () => {
  const post = (body: Record<string, unknown>) =>
    fetch(`${gw.url}/api/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": gw.key, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ max_tokens: 16, messages: [{ role: "user", content: "Hi" }], ...body }),
    });
  async function expectError(response: Response, status: number, type: string, message?: RegExp) {
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body).toMatchObject({ type: "error", error: { type, ...(message ? { message: expect.stringMatching(message) } : {}) } });
  }

  it("answers a pinned stream that opens with overloaded_error with 529 overloaded_error, which the SDK raises before streaming", async () => {
    await expectError(await post({ model: "test/claude-faults:claude-errorfirst", stream: true }), 529, "overloaded_error", /Overloaded/);
    const error = await anthropic.messages
      .stream({ model: "test/claude-faults:claude-errorfirst", max_tokens: 16, messages: [{ role: "user", content: "Hi" }] })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
  });

  for (const stream of [false, true]) {
    it(`answers a pinned provider's redirect or 200-with-HTML with 502 api_error, either protocol upstream (${stream ? "stream" : "JSON"})`, async () => {
      await expectError(await post({ model: "test/claude-faults:claude-moved", stream }), 502, "api_error", /upstream answered 307/);
      await expectError(await post({ model: "test/claude-faults:claude-garbage", stream }), 502, "api_error");
      await expectError(await post({ model: "test/faults:moved", stream }), 502, "api_error", /upstream answered 302/);
      await expectError(await post({ model: "test/faults:garbage", stream }), 502, "api_error");
    });

    it(`fails over from each of them to a working provider, and reports 502 when nothing else is left (${stream ? "stream" : "JSON"})`, async () => {
      // errorFirstEvent only touches streams.
      const failing = stream ? ["claude-errorfirst", "claude-moved", "claude-garbage"] : ["claude-moved", "claude-garbage"];
      const served = await post({ model: "test/claude-faults", stream, provider: { routing: { type: "order", providers: [...failing, "claude-native"] } } });
      expect(served.status).toBe(200);
      expect(served.headers.get("x-switchyard-provider")).toBe("claude-native");
      await served.text();
      await expectError(
        await post({ model: "test/claude-faults", stream, provider: { routing: { type: "order", providers: ["claude-moved", "claude-garbage"] } } }),
        502,
        "api_error",
        /Every provider failed/,
      );
    });
  }

  it("gives an OpenAI-protocol provider's error-first stream to an Anthropic client in Anthropic's shape, with a 5xx", async () => {
    await expectError(await post({ model: "test/any:errorfirst", stream: true }), 502, "api_error");
  });

  it("refuses a pin naming no provider of the model with 404 not_found_error", async () => {
    await expectError(await post({ model: "test/claude:nosuch" }), 404, "not_found_error", /test\/claude has no provider nosuch/);
  });
});

describe("errors and count_tokens", () => {
  it("uses Anthropic's error shape and the SDK's error classes", async () => {
    const stranger = new Anthropic({ baseURL: `${gw.url}/api/anthropic`, apiKey: "sk-sy-v1-nope", maxRetries: 0 });
    await expect(stranger.messages.create({ model: "test/claude", max_tokens: 5, messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
    await expect(anthropic.messages.create({ model: "test/unknown", max_tokens: 5, messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
    const raw = await fetch(`${gw.url}/api/anthropic/v1/messages?beta=true`, {
      method: "POST",
      headers: { "x-api-key": gw.key, "content-type": "application/json" },
      body: JSON.stringify({ model: "test/claude", messages: [{ role: "user", content: "x" }] }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: "max_tokens: Field required" } });
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ["missing max_tokens", { model: "test/claude", messages: [{ role: "user", content: "x" }] }, /^max_tokens: Field required$/],
    ["empty messages", { model: "test/claude", max_tokens: 5, messages: [] }, /^messages: at least one message is required$/],
    [
      "a first message from the assistant",
      { model: "test/claude", max_tokens: 5, messages: [{ role: "assistant", content: "x" }] },
      /^messages\.0\.role: the first message must use the user role$/,
    ],
    [
      "an unknown block type",
      { model: "test/claude", max_tokens: 5, messages: [{ role: "user", content: [{ type: "hologram" }] }] },
      /^messages\.0\.content\.0\.type: is not a known content block type/,
    ],
    [
      "a tool without a schema",
      { model: "test/claude", max_tokens: 5, tools: [{ name: "t" }], messages: [{ role: "user", content: "x" }] },
      /^tools\.0\.input_schema: must be a JSON schema object/,
    ],
    [
      "a bad tool name",
      { model: "test/claude", max_tokens: 5, tools: [{ name: "bad name!", input_schema: { type: "object" } }], messages: [{ role: "user", content: "x" }] },
      /^tools\.0\.name: must match/,
    ],
    [
      "invalid base64 image data",
      {
        model: "test/claude",
        max_tokens: 5,
        messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "not base64!!" } }] }],
      },
      /^messages\.0\.content\.0\.source\.data: is not valid base64$/,
    ],
    [
      "an unsupported image type",
      {
        model: "test/claude",
        max_tokens: 5,
        messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/bmp", data: "AAAA" } }] }],
      },
      /^messages\.0\.content\.0\.source\.media_type: must be one of/,
    ],
  ];
  it.each(bad)("refuses %s with 400 invalid_request_error, calling nothing upstream", async (_name, body, message) => {
    const before = gw.fake.stats().total;
    const response = await fetch(`${gw.url}/api/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": gw.key, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    const payload = await response.json();
    expect(payload).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(payload.error.message).toMatch(message);
    expect(gw.fake.stats().total).toBe(before);
  });

  it("counts tokens with a real tokenizer", async () => {
    const short = await anthropic.messages.countTokens({ model: "test/claude", messages: [{ role: "user", content: "Hello" }] });
    const long = await anthropic.messages.countTokens({
      model: "test/claude",
      system: "You are a careful assistant.",
      messages: [{ role: "user", content: "Hello there, how are you doing today? ".repeat(20) }],
    });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens + 100);
  });

  it("counts a large prompt (on the server's count_tokens worker) exactly as the tokenizer does inline, next to a small one", async () => {
    const request = {
      system: "You are a careful coding agent.",
      messages: [
        { role: "user" as const, content: "Refactor this module, keeping its behaviour. ".repeat(3000) },
        { role: "assistant" as const, content: [{ type: "text" as const, text: "Here is the plan." }] },
        { role: "user" as const, content: "export function add(a: number, b: number) { return a + b; }\n".repeat(500) },
      ],
    };
    const [large, small] = await Promise.all([
      anthropic.messages.countTokens({ model: "test/claude", ...request }),
      anthropic.messages.countTokens({ model: "test/claude", messages: [{ role: "user", content: "Hello" }] }),
    ]);
    expect(large.input_tokens).toBe(countMessagesTokens(request));
    expect(small.input_tokens).toBe(countMessagesTokens({ messages: [{ content: "Hello" }] }));
  });
});
