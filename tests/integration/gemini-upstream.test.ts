/**
 * Providers that speak Google's generateContent (adapter "gemini") through the real
 * server, against the fake upstream's Gemini API: the official `openai` client (Chat
 * Completions and Responses) and `@anthropic-ai/sdk`, JSON and streamed, a tool round
 * trip, usage with cached and thinking tokens billed from Gemini's own usageMetadata,
 * failover from a broken Chat provider and from a refused key, and Google's errors
 * mapped (a 400 answered as is, a 429 failed over, a credential echo redacted).
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

type Json = Record<string, unknown>;

let gw: GatewayFixture;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  gw = await startGatewayFixture();
  openai = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: gw.key, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: `${gw.url}/api/anthropic`, apiKey: gw.key, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
});

/** The requests the fake received for a provider name, as they were sent upstream. */
const sentTo = (provider: string) => gw.fake.stats().lastRequests.filter((r) => r.provider === provider);
const lastSent = (provider: string) => sentTo(provider).at(-1)!;

const weatherTool: OpenAI.Chat.ChatCompletionTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", additionalProperties: false, properties: { city: { type: "string" } }, required: ["city"] },
  },
};

describe("Chat Completions clients on a Gemini-protocol model", () => {
  it("answers JSON: the request in Gemini's protocol, the answer, usage and cost in Chat's", async () => {
    const { data: completion, response: raw } = await openai.chat.completions
      .create({
        model: "test/gemini",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hello" },
        ],
        temperature: 0.5,
        max_tokens: 50,
      })
      .withResponse();
    expect(raw.headers.get("x-switchyard-provider")).toBe("gemini-native");
    expect(completion.model).toBe("test/gemini");
    expect(completion.choices[0].message.content).toMatch(/lorem/);
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBe(6);
    const sent = lastSent("gemini-native");
    expect(sent.path).toBe("/v1beta/models/upstream-gemini-native:generateContent");
    expect(sent.headers["x-goog-api-key"]).toMatch(/^\*\*\*/);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toEqual({
      contents: [{ role: "user", parts: [{ text: "Hello" }] }],
      systemInstruction: { parts: [{ text: "Be brief." }] },
      generationConfig: { maxOutputTokens: 50, temperature: 0.5 },
    });
    const record = await gw.recordOf(raw);
    expect(record).toMatchObject({
      api: "chat.completions",
      upstreamApi: "generateContent",
      provider: "gemini-native",
      status: "success",
      finishReason: "STOP",
      streamed: false,
    });
    expect((completion.usage as unknown as { cost: number }).cost).toBe(record.usage);
  });

  it("streams, and completes a tool round trip: the call as functionCall, the result as functionResponse", async () => {
    const first = await openai.chat.completions
      .stream({
        model: "test/gemini",
        messages: [{ role: "user", content: "Weather in Paris?" }],
        tools: [weatherTool],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    const call = first.choices[0].message.tool_calls![0];
    expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual({ city: "test" });
    expect(first.usage?.completion_tokens).toBeGreaterThan(0);
    const firstSent = lastSent("gemini-native");
    expect(firstSent.path).toBe("/v1beta/models/upstream-gemini-native:streamGenerateContent");
    expect(firstSent.url).toContain("alt=sse");
    // additionalProperties is not in Gemini's schema: left out, not sent to be refused.
    expect(firstSent.body).toMatchObject({
      tools: [
        { functionDeclarations: [{ name: "get_weather", parameters: { type: "OBJECT", properties: { city: { type: "STRING" } }, required: ["city"] } }] },
      ],
    });
    expect(JSON.stringify(firstSent.body)).not.toContain("additionalProperties");

    const second = await openai.chat.completions
      .stream({
        model: "test/gemini",
        tools: [weatherTool],
        messages: [{ role: "user", content: "Weather in Paris?" }, first.choices[0].message, { role: "tool", tool_call_id: call.id, content: "Sunny, 21°C" }],
      })
      .finalChatCompletion();
    expect(second.choices[0].finish_reason).toBe("stop");
    expect(second.choices[0].message.content).toMatch(/lorem/);
    expect((lastSent("gemini-native").body as Json).contents).toEqual([
      { role: "user", parts: [{ text: "Weather in Paris?" }] },
      { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "test" } } }] },
      { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "Sunny, 21°C" } } }] },
    ]);
  });

  it("a stream cut before its finish ends in an error the SDK raises, and is billed for what it produced", async () => {
    const response = await fetch(`${gw.url}/api/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "test/gemini-midcut", messages: [{ role: "user", content: "Hello" }], stream: true }),
    });
    const text = await response.text();
    expect(text).toContain('"error"');
    expect(text).not.toContain("[DONE]");
    const record = await gw.recordOf(response);
    expect(record).toMatchObject({ provider: "gemini-midcut", status: "error" });
    expect((record.nativeTokens as { completion_tokens: number }).completion_tokens).toBeGreaterThan(0);
    expect(record.usage as number).toBeGreaterThan(0);
  });
});

describe("usage and cost from Gemini's usageMetadata", () => {
  // test/gemini-cached: $2/M prompt, $0.5/M cached, $8/M output; the fake reports 40 cached and 5 thinking tokens.
  const expectedCost = (tokens: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details: { cached_tokens: number } }) =>
    ((tokens.prompt_tokens - tokens.prompt_tokens_details.cached_tokens) * 2 +
      tokens.prompt_tokens_details.cached_tokens * 0.5 +
      tokens.completion_tokens * 8) /
    1e6;

  it("carries cached and reasoning tokens to the client and the record, and charges by them, JSON and streamed", async () => {
    const { data: json, response: raw } = await openai.chat.completions
      .create({ model: "test/gemini-cached", messages: [{ role: "user", content: "Hello" }] })
      .withResponse();
    expect(json.usage).toMatchObject({ prompt_tokens_details: { cached_tokens: 40 }, completion_tokens_details: { reasoning_tokens: 5 } });
    // Gemini's candidates exclude thoughts; Chat's completion_tokens include them.
    expect(json.usage?.completion_tokens).toBe(6 + 5);
    const record = await gw.recordOf(raw);
    expect(record.nativeTokens).toMatchObject({
      prompt_tokens: json.usage!.prompt_tokens,
      completion_tokens: 11,
      prompt_tokens_details: { cached_tokens: 40 },
      completion_tokens_details: { reasoning_tokens: 5 },
    });
    expect(record.usage).toBeCloseTo(expectedCost(json.usage as never), 12);
    expect((json.usage as unknown as { cost: number }).cost).toBe(record.usage);

    const stream = await anthropic.messages.stream({ model: "test/gemini-cached", max_tokens: 100, messages: [{ role: "user", content: "Hello" }] });
    const message = await stream.finalMessage();
    expect(message.usage).toMatchObject({ cache_read_input_tokens: 40, output_tokens: 11 });
    const streamedRecord = await gw.recordOf((await stream.withResponse()).response.headers.get("x-request-id")!);
    expect(streamedRecord).toMatchObject({ api: "messages", upstreamApi: "generateContent", provider: "gemini-cached", streamed: true, finishReason: "STOP" });
    expect(streamedRecord.nativeTokens).toMatchObject({
      completion_tokens: 11,
      prompt_tokens_details: { cached_tokens: 40 },
      completion_tokens_details: { reasoning_tokens: 5 },
    });
    expect(streamedRecord.usage).toBeCloseTo(expectedCost(streamedRecord.nativeTokens as never), 12);
  });
});

describe("Anthropic Messages clients on a Gemini-protocol model (through the Chat hub)", () => {
  it("answers JSON and streams, with a tool round trip", async () => {
    const message = await anthropic.messages.create({
      model: "test/gemini",
      max_tokens: 100,
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(message.content[0]).toMatchObject({ type: "text", text: expect.stringMatching(/lorem/) });
    expect(message.stop_reason).toBe("end_turn");
    expect(lastSent("gemini-native").body).toMatchObject({ systemInstruction: { parts: [{ text: "Be brief." }] }, generationConfig: { maxOutputTokens: 100 } });

    const tools: Anthropic.Tool[] = [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];
    const first = await anthropic.messages
      .stream({ model: "test/gemini", max_tokens: 100, tools, messages: [{ role: "user", content: "Weather in Paris?" }] })
      .finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((block) => block.type === "tool_use")!;
    expect(use).toMatchObject({ name: "get_weather", input: { city: "test" } });
    const second = await anthropic.messages
      .stream({
        model: "test/gemini",
        max_tokens: 100,
        tools,
        messages: [
          { role: "user", content: "Weather in Paris?" },
          { role: "assistant", content: first.content },
          { role: "user", content: [{ type: "tool_result", tool_use_id: use.type === "tool_use" ? use.id : "", content: "Sunny" }] },
        ],
      })
      .finalMessage();
    expect(second.stop_reason).toBe("end_turn");
    expect(second.content.at(-1)).toMatchObject({ type: "text", text: expect.stringMatching(/lorem/) });
    expect(((lastSent("gemini-native").body as Json).contents as Json[]).at(-1)).toEqual({
      role: "user",
      parts: [{ functionResponse: { name: "get_weather", response: { output: "Sunny" } } }],
    });
  });
});

describe("Responses clients on a Gemini-protocol model", () => {
  it("creates and streams responses, instructions sent as Gemini's systemInstruction", async () => {
    const { data: response, response: raw } = await openai.responses
      .create({ model: "test/gemini", input: "Hello there", instructions: "Answer briefly." })
      .withResponse();
    expect(response.id).toBe(`resp_${raw.headers.get("x-request-id")}`);
    expect(response.status).toBe("completed");
    expect(response.output_text).toMatch(/lorem/);
    expect(response.usage?.output_tokens).toBe(6);
    expect(lastSent("gemini-native").body).toMatchObject({
      systemInstruction: { parts: [{ text: "Answer briefly." }] },
      contents: [{ role: "user", parts: [{ text: "Hello there" }] }],
    });
    expect(await gw.recordOf(raw)).toMatchObject({ api: "responses", upstreamApi: "generateContent", provider: "gemini-native" });

    const final = await openai.responses.stream({ model: "test/gemini-cached", input: "Hello", reasoning: { effort: "low" } }).finalResponse();
    expect(final.status).toBe("completed");
    expect(final.output_text).toMatch(/lorem/);
    expect(final.usage).toMatchObject({ input_tokens_details: { cached_tokens: 40 }, output_tokens_details: { reasoning_tokens: expect.any(Number) } });
    expect(final.usage!.output_tokens_details.reasoning_tokens).toBeGreaterThanOrEqual(5);
    expect(lastSent("gemini-cached").body).toMatchObject({ generationConfig: { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } } });
    // The fake shows its thoughts when asked: they come back as the reasoning summary.
    expect(final.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
  });
});

describe("failover and Google's errors", () => {
  afterEach(() => gw.fake.setKnobs("gemini-echo", { failStatus: null, failMessage: null, errorFirstEvent: false }));

  it("fails over from a broken Chat provider into the Gemini one, and records both attempts", async () => {
    const { data, response: raw } = await openai.chat.completions
      .create({
        model: "test/gemini-mixed",
        messages: [{ role: "user", content: "Hi" }],
        provider: { routing: { type: "order", providers: ["broken", "gemini-native"] } },
      } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(data.choices[0].message.content).toMatch(/lorem/);
    expect(raw.headers.get("x-switchyard-provider")).toBe("gemini-native");
    expect((await gw.recordOf(raw)).attempts.map((a) => [a.provider, a.httpStatus])).toEqual([
      ["broken", 503],
      ["gemini-native", 200],
    ]);
  });

  it("fails over when Google refuses the gateway's key (a 400 API_KEY_INVALID is not the client's fault)", async () => {
    const { data, response: raw } = await openai.chat.completions
      .create({
        model: "test/gemini-badkey",
        messages: [{ role: "user", content: "Hi" }],
        provider: { routing: { type: "order", providers: ["gemini-badkey", "gemini-native"] } },
      } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(data.choices[0].message.content).toMatch(/lorem/);
    expect((await gw.recordOf(raw)).attempts.map((a) => [a.provider, a.httpStatus])).toEqual([
      ["gemini-badkey", 400],
      ["gemini-native", 200],
    ]);
  });

  const order = { provider: { routing: { type: "order", providers: ["gemini-echo", "gemini-native"] } } };

  it("answers Google's INVALID_ARGUMENT as a 400 in the client's shape, without retrying elsewhere, the credential redacted", async () => {
    gw.fake.setKnobs("gemini-echo", { failStatus: 400, failMessage: "Invalid value at 'contents' for key fake-upstream-secret-credential" });
    const before = sentTo("gemini-native").length;
    const response = await fetch(`${gw.url}/api/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "test/gemini-echo", messages: [{ role: "user", content: "Hi" }], ...order }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-should-retry")).toBe("false");
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { message: expect.stringContaining("INVALID_ARGUMENT") } });
    expect(text).not.toContain("fake-upstream-secret-credential");
    expect(text).toContain("[redacted]");
    expect(sentTo("gemini-native").length).toBe(before);
  });

  it("fails over on RESOURCE_EXHAUSTED (429) and on a stream that opens with Google's error object", async () => {
    gw.fake.setKnobs("gemini-echo", { failStatus: 429 });
    const { response: raw } = await openai.chat.completions
      .create({ model: "test/gemini-echo", messages: [{ role: "user", content: "Hi" }], ...order } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect((await gw.recordOf(raw)).attempts.map((a) => [a.provider, a.httpStatus])).toEqual([
      ["gemini-echo", 429],
      ["gemini-native", 200],
    ]);

    gw.fake.setKnobs("gemini-echo", { failStatus: null, errorFirstEvent: true });
    const { data: stream, response: streamed } = await openai.chat.completions
      .create({
        model: "test/gemini-echo",
        messages: [{ role: "user", content: "Hi" }],
        stream: true,
        ...order,
      } as OpenAI.Chat.ChatCompletionCreateParamsStreaming)
      .withResponse();
    let content = "";
    for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? "";
    expect(content).toMatch(/lorem/);
    const record = await gw.recordOf(streamed);
    expect(record.attempts.map((a) => [a.provider, a.served])).toEqual([
      ["gemini-echo", false],
      ["gemini-native", true],
    ]);
  });

  it("passes a pinned provider's 429 on as a 429", async () => {
    gw.fake.setKnobs("gemini-echo", { failStatus: 429 });
    const call = openai.chat.completions.create({
      model: "test/gemini-echo",
      messages: [{ role: "user", content: "Hi" }],
      provider: { routing: { type: "order", providers: ["gemini-echo"] } },
    } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    await expect(call).rejects.toMatchObject({ status: 429 });
  });
});
