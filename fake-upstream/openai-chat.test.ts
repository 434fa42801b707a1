import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeUpstream, startFakeUpstream } from "./server.ts";

let fake: FakeUpstream;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeUpstream();
  client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: "sk-test-1234", maxRetries: 0 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearKnobs();
  fake.resetStats();
});

const weatherTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string" },
        days: { type: "integer" },
        metric: { type: "boolean" },
        extra: { type: "object" },
        optional: { type: "string" },
      },
      required: ["city", "days", "metric", "extra"],
    },
  },
};
const expectedArgs = { city: "test", days: 1, metric: true, extra: null };

describe("OpenAI chat completions", () => {
  it("answers a non-streamed request with predictable usage", async () => {
    // "Hello there" = 11 chars → ceil(11/4)=3, + 4 for one message.
    const completion = await client.chat.completions.create({
      model: "fake-model",
      messages: [{ role: "user", content: "Hello there" }],
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("fake-model");
    expect(completion.choices[0].message.role).toBe("assistant");
    expect(completion.choices[0].message.content?.split(" ").filter(Boolean)).toHaveLength(12);
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 12, total_tokens: 19 });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it("counts system, multi-part and tool-call text in the prompt estimate", async () => {
    const completion = await client.chat.completions.create({
      model: "m",
      messages: [
        { role: "system", content: "abcd" },
        { role: "user", content: [{ type: "text", text: "efgh" }] },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "ij" },
      ],
    });
    // 4 + 4 + 2 + 2 = 12 chars → 3, + 4 × 4 messages.
    expect(completion.usage?.prompt_tokens).toBe(19);
  });

  it("caps output at max_tokens with finish_reason length, unless ignoreMaxTokens", async () => {
    const capped = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 5,
    });
    expect(capped.choices[0].finish_reason).toBe("length");
    expect(capped.usage?.completion_tokens).toBe(5);

    fake.setKnobs("default", { ignoreMaxTokens: true, text: "one two three four five six seven" });
    const ignored = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      max_completion_tokens: 2,
    });
    expect(ignored.choices[0].finish_reason).toBe("stop");
    expect(ignored.choices[0].message.content).toBe("one two three four five six seven");
    expect(ignored.usage?.completion_tokens).toBe(7);
  });

  it("streams through the SDK helper and assembles the final completion", async () => {
    const stream = client.chat.completions.stream({ model: "stream-model", messages: [{ role: "user", content: "x" }] });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    stream.on("chunk", (chunk) => chunks.push(chunk));
    const final = await stream.finalChatCompletion();
    expect(final.model).toBe("stream-model");
    expect(final.choices[0].message.content).toBe("lorem ipsum dolor sit amet consectetur adipiscing elit lorem ipsum dolor sit ");
    expect(final.choices[0].finish_reason).toBe("stop");
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    // Without include_usage there is no usage field and no usage chunk.
    expect(chunks.every((chunk) => !("usage" in chunk))).toBe(true);
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
  });

  it("counts reasoning against max_completion_tokens, as OpenAI does", async () => {
    fake.setKnobs("default", { outputTokens: 500, reasoningTokens: 20 });
    const completion = await client.chat.completions.create({ model: "m", max_completion_tokens: 30, messages: [{ role: "user", content: "Hi" }] });
    expect(completion.usage).toMatchObject({ completion_tokens: 30, completion_tokens_details: { reasoning_tokens: 20 } });
    expect(completion.choices[0].finish_reason).toBe("length");
  });

  it("sends usage: null on every chunk and a final usage chunk with include_usage", async () => {
    fake.setKnobs("default", { cachedTokens: 3, reasoningTokens: 2 });
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "12345678" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    // 8 chars → 2, + 4 = 6 fresh; prompt_tokens includes the 3 cached; completion includes reasoning.
    expect(last?.usage).toMatchObject({
      prompt_tokens: 9,
      completion_tokens: 14,
      total_tokens: 23,
      prompt_tokens_details: { cached_tokens: 3 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe("stop");
  });

  it("returns a non-streamed tool call built from the JSON schema", async () => {
    const completion = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "weather?" }],
      tools: [weatherTool],
    });
    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls?.[0];
    expect(call?.id).toMatch(/^call_/);
    expect(call?.type).toBe("function");
    if (call?.type !== "function") throw new Error("expected a function call");
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toEqual(expectedArgs);
  });

  it("streams a tool call in fragments that the helper assembles into valid JSON", async () => {
    const other: OpenAI.Chat.Completions.ChatCompletionTool = {
      type: "function",
      function: { name: "noop", parameters: { type: "object", properties: {} } },
    };
    const stream = client.chat.completions.stream({
      model: "m",
      messages: [{ role: "user", content: "weather?" }],
      tools: [other, weatherTool],
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    stream.on("chunk", (chunk) => chunks.push(chunk));
    const final = await stream.finalChatCompletion();
    const call = final.choices[0].message.tool_calls?.[0];
    if (call?.type !== "function") throw new Error("expected a function call");
    expect(final.choices[0].finish_reason).toBe("tool_calls");
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toEqual(expectedArgs);

    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas[0]).toMatchObject({ index: 0, type: "function", function: { name: "get_weather", arguments: "" } });
    expect(toolDeltas[0].id).toMatch(/^call_/);
    const fragments = toolDeltas.slice(1);
    expect(fragments.length).toBeGreaterThanOrEqual(3);
    for (const fragment of fragments) expect(Object.keys(fragment).sort()).toEqual(["function", "index"]);
  });

  it("answers in text when the last message is a tool result or tool_choice is none", async () => {
    const afterTool = await client.chat.completions.create({
      model: "m",
      messages: [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
      ],
      tools: [weatherTool],
    });
    expect(afterTool.choices[0].finish_reason).toBe("stop");
    const none = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "weather?" }],
      tools: [weatherTool],
      tool_choice: "none",
    });
    expect(none.choices[0].message.tool_calls).toBeUndefined();
  });

  it("lists models in the OpenAI shape", async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual(["fake-model", "fake-model-mini"]);
    expect(page.data[0].object).toBe("model");
    const one = await client.models.retrieve("fake-model-mini");
    expect(one.id).toBe("fake-model-mini");
  });

  it("maps failStatus to the SDK's error classes", async () => {
    fake.setKnobs("default", { failStatus: 500, failMessage: "boom" });
    const error = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    if (!(error instanceof OpenAI.APIError)) throw error;
    expect(error.status).toBe(500);
    expect(error.message).toContain("boom");
    expect(error.type).toBe("server_error");

    fake.setKnobs("default", { failStatus: 429, failMessage: null });
    const limited = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    if (!(limited instanceof OpenAI.APIError)) throw limited;
    expect(limited.status).toBe(429);
    expect(limited.headers?.get("retry-after")).toBe("1");
    expect(limited.code).toBe("rate_limit_exceeded");
  });

  it("rejects bad bodies with 400 in OpenAI's error shape", async () => {
    const post = (body: string) =>
      fetch(`${fake.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer sk-x", "content-type": "application/json" },
        body,
      });
    for (const body of ["not json", "{}", '{"model":"m"}', '{"model":"m","messages":"hi"}']) {
      const response = await post(body);
      expect(response.status).toBe(400);
      const json = (await response.json()) as { error: Record<string, unknown> };
      expect(Object.keys(json.error).sort()).toEqual(["code", "message", "param", "type"]);
      expect(json.error.type).toBe("invalid_request_error");
    }
    const missing = (await (await post('{"model":"m"}')).json()) as { error: { param: string } };
    expect(missing.error.param).toBe("messages");
    const error = await client.chat.completions.create({ model: "", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it("requires a key, and the configured key when requireKey is set", async () => {
    const noKey = await fetch(`${fake.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);
    fake.setKnobs("default", { requireKey: "sk-right" });
    const wrong = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    const right = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: "sk-right", maxRetries: 0 });
    const ok = await right.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(ok.choices[0].finish_reason).toBe("stop");
  });
});
