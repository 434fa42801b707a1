import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeUpstream, startFakeUpstream } from "./server.ts";

let fake: FakeUpstream;
let client: Anthropic;

beforeAll(async () => {
  fake = await startFakeUpstream();
  client = new Anthropic({ baseURL: fake.url, apiKey: "sk-ant-test-9876", maxRetries: 0 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearKnobs();
  fake.resetStats();
});

const weatherTool: Anthropic.Tool = {
  name: "get_weather",
  description: "Weather for a city",
  input_schema: {
    type: "object",
    properties: { city: { type: "string" }, days: { type: "number" }, metric: { type: "boolean" } },
    required: ["city", "days", "metric"],
  },
};

describe("Anthropic messages", () => {
  it("answers a non-streamed request with predictable usage", async () => {
    // system "abcd" + "Hello there" = 15 chars → 4, + 4 × (system + 1 message).
    const message = await client.messages.create({
      model: "claude-fake",
      max_tokens: 100,
      system: [{ type: "text", text: "abcd", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "Hello there" }],
    });
    expect(message.id).toMatch(/^msg_/);
    expect(message.type).toBe("message");
    expect(message.role).toBe("assistant");
    expect(message.model).toBe("claude-fake");
    expect(message.stop_reason).toBe("end_turn");
    expect(message.content).toHaveLength(1);
    const block = message.content[0];
    if (block.type !== "text") throw new Error("expected text");
    expect(block.text.split(" ").filter(Boolean)).toHaveLength(12);
    expect(message.usage).toMatchObject({
      input_tokens: 12,
      output_tokens: 12,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    });
  });

  it("bills an inline PNG by its pixels, at most 4,784 tokens, as Anthropic does", async () => {
    const png = (side: number) => {
      const header = Buffer.alloc(33);
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header);
      header.write("IHDR", 12, "latin1");
      header.writeUInt32BE(side, 16);
      header.writeUInt32BE(side, 20);
      return header.toString("base64");
    };
    const withImage = (side: number) =>
      client.messages.create({
        model: "m",
        max_tokens: 1,
        messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: png(side) } }] }],
      });
    // No text: 4 per message; then 300 × 300 / 750 = 120, and 2,000 × 2,000 capped at 4,784.
    expect((await withImage(300)).usage.input_tokens).toBe(4 + 120);
    expect((await withImage(2000)).usage.input_tokens).toBe(4 + 4784);
  });

  it("counts thinking against max_tokens, as Anthropic does", async () => {
    fake.setKnobs("default", { outputTokens: 500 });
    const message = await client.messages.create({
      model: "claude-fake",
      max_tokens: 30,
      thinking: { type: "enabled", budget_tokens: 20 },
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(message.usage.output_tokens).toBe(30);
    expect(message.stop_reason).toBe("max_tokens");
  });

  it("caps output at max_tokens with stop_reason max_tokens", async () => {
    const message = await client.messages.create({
      model: "m",
      max_tokens: 4,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message.stop_reason).toBe("max_tokens");
    expect(message.usage.output_tokens).toBe(4);
  });

  it("streams text through messages.stream().finalMessage()", async () => {
    fake.setKnobs("default", { text: "Hello from the fake." });
    const stream = client.messages.stream({
      model: "claude-stream",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
    const events: string[] = [];
    stream.on("streamEvent", (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(final.model).toBe("claude-stream");
    expect(final.content).toEqual([{ type: "text", text: "Hello from the fake." }]);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBe(4);
    expect(events[0]).toBe("message_start");
    expect(events.at(-1)).toBe("message_stop");
    expect(events.filter((type) => type === "content_block_delta")).toHaveLength(4);
  });

  it("frames every stream event as `event: <name>` with a matching data type", async () => {
    const response = await fetch(`${fake.url}/v1/messages?beta=true`, {
      method: "POST",
      headers: { "x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify({ model: "m", max_tokens: 10, stream: true, messages: [{ role: "user", content: "x" }] }),
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const frames = (await response.text()).split("\n\n").filter(Boolean);
    const names = frames.map((frame) => {
      const [eventLine, dataLine] = frame.split("\n");
      const name = eventLine.replace(/^event: /, "");
      expect((JSON.parse(dataLine.replace(/^data: /, "")) as { type: string }).type).toBe(name);
      return name;
    });
    expect(names.slice(0, 3)).toEqual(["message_start", "ping", "content_block_start"]);
    expect(names.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    const start = JSON.parse(frames[0].split("\n")[1].slice(6)) as { message: Anthropic.Message };
    expect(start.message.content).toEqual([]);
    expect(start.message.usage.output_tokens).toBe(1);
  });

  it("returns tool_use (non-streamed) preceded by a text block", async () => {
    const message = await client.messages.create({
      model: "m",
      max_tokens: 100,
      messages: [{ role: "user", content: "weather?" }],
      tools: [weatherTool],
    });
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content.map((block) => block.type)).toEqual(["text", "tool_use"]);
    const toolUse = message.content[1];
    if (toolUse.type !== "tool_use") throw new Error("expected tool_use");
    expect(toolUse.id).toMatch(/^toolu_/);
    expect(toolUse.name).toBe("get_weather");
    expect(toolUse.input).toEqual({ city: "test", days: 1, metric: true });
  });

  it("streams tool_use input in at least 3 input_json_delta fragments", async () => {
    const stream = client.messages.stream({
      model: "m",
      max_tokens: 100,
      messages: [{ role: "user", content: "weather?" }],
      tools: [{ name: "first", input_schema: { type: "object" } }, weatherTool],
      tool_choice: { type: "tool", name: "get_weather" },
    });
    const partials: string[] = [];
    stream.on("streamEvent", (event) => {
      if (event.type === "content_block_start" && event.content_block.type === "tool_use") {
        expect(event.content_block.input).toEqual({});
      }
      if (event.type === "content_block_delta" && event.delta.type === "input_json_delta") {
        partials.push(event.delta.partial_json);
      }
    });
    const final = await stream.finalMessage();
    expect(partials.length).toBeGreaterThanOrEqual(3);
    expect(final.stop_reason).toBe("tool_use");
    const toolUse = final.content.find((block) => block.type === "tool_use");
    if (toolUse?.type !== "tool_use") throw new Error("expected tool_use");
    expect(toolUse.name).toBe("get_weather");
    expect(toolUse.input).toEqual({ city: "test", days: 1, metric: true });
  });

  it("answers in text after a tool_result turn", async () => {
    const message = await client.messages.create({
      model: "m",
      max_tokens: 100,
      tools: [weatherTool],
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "sunny" }] },
      ],
    });
    expect(message.stop_reason).toBe("end_turn");
    expect(message.content.map((block) => block.type)).toEqual(["text"]);
  });

  it("puts a signed thinking block first, streamed and not", async () => {
    const params = {
      model: "m",
      max_tokens: 2048,
      thinking: { type: "enabled" as const, budget_tokens: 1024 },
      messages: [{ role: "user" as const, content: "think" }],
    };
    const plain = await client.messages.create(params);
    expect(plain.content.map((block) => block.type)).toEqual(["thinking", "text"]);

    const stream = client.messages.stream(params);
    const deltas: string[] = [];
    stream.on("streamEvent", (event) => {
      if (event.type === "content_block_delta") deltas.push(event.delta.type);
    });
    const final = await stream.finalMessage();
    const thinking = final.content[0];
    if (thinking.type !== "thinking") throw new Error("expected thinking");
    expect(thinking.thinking.length).toBeGreaterThan(0);
    expect(thinking.signature.length).toBeGreaterThan(20);
    expect(deltas.indexOf("signature_delta")).toBeGreaterThan(deltas.lastIndexOf("thinking_delta"));
    expect(deltas.indexOf("signature_delta")).toBeLessThan(deltas.indexOf("text_delta"));
  });

  it("reports cache reads and writes, with input_tokens excluding them", async () => {
    fake.setKnobs("default", { cachedTokens: 100, cacheWriteTokens: 20 });
    const params = { model: "m", max_tokens: 50, messages: [{ role: "user" as const, content: "abcdefgh" }] };
    const plain = await client.messages.create(params);
    expect(plain.usage).toMatchObject({ input_tokens: 6, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 });
    const streamed = await client.messages.stream(params).finalMessage();
    expect(streamed.usage).toMatchObject({
      input_tokens: 6,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 20,
      output_tokens: 12,
    });
  });

  it("counts tokens", async () => {
    const result = await client.messages.countTokens({
      model: "m",
      system: "abcd",
      messages: [{ role: "user", content: "abcdefgh" }],
    });
    expect(result.input_tokens).toBe(3 + 8);
  });

  it("lists models in Anthropic's shape when anthropic-version is sent", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) {
      expect(model.type).toBe("model");
      ids.push(model.id);
    }
    expect(ids).toEqual(["fake-model", "fake-model-mini"]);
    const raw = (await (await fetch(`${fake.url}/v1/models`, { headers: { "x-api-key": "k", "anthropic-version": "2023-06-01" } })).json()) as Record<
      string,
      unknown
    >;
    expect(raw).toMatchObject({ has_more: false, first_id: "fake-model", last_id: "fake-model-mini" });
  });

  it("maps failStatus to Anthropic error types", async () => {
    fake.setKnobs("default", { failStatus: 529 });
    const overloaded = await client.messages.create({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(overloaded).toBeInstanceOf(Anthropic.APIError);
    if (!(overloaded instanceof Anthropic.APIError)) throw overloaded;
    expect(overloaded.status).toBe(529);
    expect(overloaded.error).toMatchObject({ type: "error", error: { type: "overloaded_error" } });

    fake.setKnobs("default", { failStatus: 429 });
    const limited = await client.messages.create({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
  });

  it("rejects bad bodies and keys in Anthropic's error shape", async () => {
    const post = (body: string, key = "k") =>
      fetch(`${fake.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": key, "anthropic-version": "2023-06-01", "content-type": "application/json" },
        body,
      });
    for (const body of ["nope", "{}", '{"model":"m","messages":[]}', '{"max_tokens":5,"messages":[]}']) {
      const response = await post(body);
      expect(response.status).toBe(400);
      const json = (await response.json()) as { type: string; error: { type: string; message: string } };
      expect(json.type).toBe("error");
      expect(json.error.type).toBe("invalid_request_error");
    }
    const noMax = (await (await post('{"model":"m","messages":[]}')).json()) as { error: { message: string } };
    expect(noMax.error.message).toContain("max_tokens");

    fake.setKnobs("default", { requireKey: "right-key" });
    const wrong = await client.messages.create({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(Anthropic.AuthenticationError);
    const body = (await (await post('{"model":"m","max_tokens":5,"messages":[]}', "bad")).json()) as {
      error: { type: string };
    };
    expect(body.error.type).toBe("authentication_error");
  });
});
