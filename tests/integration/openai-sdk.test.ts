/**
 * The official `openai` client against the gateway: create, the `.stream()` helper,
 * tool calls streamed and not, include_usage, and the SDK's error classes.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

let gw: GatewayFixture;
let client: OpenAI;
beforeAll(async () => {
  gw = await startGatewayFixture();
  client = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: gw.key, maxRetries: 0 });
});
afterAll(async () => gw?.stop());

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
];

describe("official openai client", () => {
  it("creates a completion", async () => {
    const completion = await client.chat.completions.create({ model: "test/chat", messages: [{ role: "user", content: "Hello" }] });
    expect(completion.model).toBe("test/chat");
    expect(completion.choices[0].message.content).toMatch(/lorem/);
    expect(completion.usage?.completion_tokens).toBe(6);
  });

  it("streams through the .stream() helper to a final completion", async () => {
    const stream = client.chat.completions.stream({ model: "test/chat", messages: [{ role: "user", content: "Hello" }] });
    const deltas: string[] = [];
    stream.on("content", (delta) => deltas.push(delta));
    const final = await stream.finalChatCompletion();
    expect(final.choices[0].message.content).toBe(deltas.join(""));
    expect(final.choices[0].finish_reason).toBe("stop");
  });

  it("sends the usage chunk only when include_usage is asked for", async () => {
    const withUsage = await client.chat.completions.create({
      model: "test/chat",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of withUsage) chunks.push(chunk);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(6);
    // The cost rides in the final usage chunk, as in a non-streamed response.
    expect((chunks.at(-1)?.usage as { cost?: number } | undefined)?.cost).toBeGreaterThan(0);

    const without = await client.chat.completions.create({ model: "test/chat", messages: [{ role: "user", content: "Hi" }], stream: true });
    const plain = [];
    for await (const chunk of without) plain.push(chunk);
    expect(plain.every((chunk) => chunk.choices.length > 0 && !chunk.usage)).toBe(true);
  });

  it("returns tool calls, non-streamed and assembled from a stream", async () => {
    const completion = await client.chat.completions.create({ model: "test/chat", messages: [{ role: "user", content: "Weather in Paris?" }], tools });
    const call = completion.choices[0].message.tool_calls?.[0];
    expect(completion.choices[0].finish_reason).toBe("tool_calls");
    expect(call?.type === "function" && call.function.name).toBe("get_weather");
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual({ city: "test" });

    const stream = client.chat.completions.stream({ model: "test/chat", messages: [{ role: "user", content: "Weather in Paris?" }], tools });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0].message.tool_calls?.[0];
    expect(streamed?.type === "function" && JSON.parse(streamed.function.arguments)).toEqual({ city: "test" });
  });

  it("raises the SDK's error classes for 401, 404 and 400", async () => {
    const anonymous = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: "sk-sy-v1-wrong", maxRetries: 0 });
    await expect(anonymous.chat.completions.create({ model: "test/chat", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    await expect(client.chat.completions.create({ model: "test/unknown", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    const bad = client.chat.completions.create({ model: "test/chat", messages: [], temperature: -1 });
    await expect(bad).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(bad).rejects.toMatchObject({ status: 400, type: "invalid_params" });
  });

  it("does not retry a 400 even when the client would retry (x-should-retry: false)", async () => {
    const retrying = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: gw.key, maxRetries: 2 });
    const before = gw.fake.stats().total;
    await expect(retrying.chat.completions.create({ model: "test/any:badrequest", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(
      OpenAI.BadRequestError,
    );
    expect(gw.fake.stats().total - before).toBe(1);
  });
});
