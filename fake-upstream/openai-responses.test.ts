import OpenAI, { type APIError } from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
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

/** A client for one fake provider name with path knobs (`/p/<segment>/v1`). */
const clientFor = (segment: string): OpenAI => new OpenAI({ baseURL: `${fake.url}/p/${segment}/v1`, apiKey: "sk-test-1234", maxRetries: 0 });

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "get_weather",
  description: "Weather for a city",
  strict: false,
  parameters: {
    type: "object",
    properties: { city: { type: "string" }, days: { type: "integer" }, optional: { type: "string" } },
    required: ["city", "days"],
  },
};
const LOREM12 = "lorem ipsum dolor sit amet consectetur adipiscing elit lorem ipsum dolor sit ";

async function collect(stream: ReturnType<OpenAI["responses"]["stream"]>): Promise<{ events: ResponseStreamEvent[]; final: OpenAI.Responses.Response }> {
  const events: ResponseStreamEvent[] = [];
  stream.on("event", (event) => events.push(event));
  const final = await stream.finalResponse();
  return { events, final };
}

describe("OpenAI Responses", () => {
  it("answers a non-streamed request with a message item and predictable usage", async () => {
    // "Hello there" = 11 chars → 3 tokens, + 4 for the one input message.
    const response = await client.responses.create({ model: "fake-model", input: "Hello there" });
    expect(response.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(response).toMatchObject({ object: "response", status: "completed", model: "fake-model", error: null, incomplete_details: null });
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({ type: "message", role: "assistant", status: "completed" });
    expect(response.output_text).toBe(LOREM12);
    expect(response.usage).toEqual({
      input_tokens: 7,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 12,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 19,
    });
  });

  it("counts instructions, message items, call arguments and tool output in the prompt, and answers a tool result in text", async () => {
    const response = await client.responses.create({
      model: "m",
      instructions: "abcd",
      tools: [weatherTool],
      input: [
        { role: "user", content: [{ type: "input_text", text: "efgh" }] },
        { type: "function_call", call_id: "call_1", name: "get_weather", arguments: "{}" },
        { type: "function_call_output", call_id: "call_1", output: "ij" },
      ],
    });
    // 4 + 4 + 2 + 2 = 12 chars → 3, + 4 × (instructions + 3 items).
    expect(response.usage?.input_tokens).toBe(19);
    expect(response.output.map((item) => item.type)).toEqual(["message"]);
  });

  it("streams the full event sequence, numbered, and the SDK helper assembles it", async () => {
    fake.setKnobs("default", { outputTokens: 3, cachedTokens: 5, reasoningTokens: 7 });
    const { events, final } = await collect(client.responses.stream({ model: "m", input: "hi", reasoning: { effort: "low", summary: "auto" } }));
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
    const types = events.map((event) => event.type);
    const summaryWords = 9; // "Let me think about this request step by step."
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      ...Array<string>(summaryWords).fill("response.reasoning_summary_text.delta"),
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(final.status).toBe("completed");
    expect(final.output_text).toBe("lorem ipsum dolor ");
    expect(final.output[0]).toMatchObject({ type: "reasoning", summary: [{ type: "summary_text", text: "Let me think about this request step by step." }] });
    // "hi" → 1 + 4; cached tokens come on top; summary words count as reasoning.
    expect(final.usage).toMatchObject({
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 5 },
      output_tokens: 3 + 7 + summaryWords,
      output_tokens_details: { reasoning_tokens: 7 + summaryWords },
    });
    const created = events[0] as OpenAI.Responses.ResponseCreatedEvent;
    expect(created.response).toMatchObject({ status: "in_progress", output: [], usage: null });
  });

  it("calls a function with argument deltas, and the round trip ends in text", async () => {
    const { events, final } = await collect(client.responses.stream({ model: "m", input: "weather?", tools: [weatherTool] }));
    const deltas = events.filter((event) => event.type === "response.function_call_arguments.delta");
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    const call = final.output[0];
    if (call.type !== "function_call") throw new Error(`expected a function_call, got ${call.type}`);
    expect(call).toMatchObject({ name: "get_weather", status: "completed" });
    expect(call.call_id).toMatch(/^call_/);
    expect(deltas.map((event) => (event as OpenAI.Responses.ResponseFunctionCallArgumentsDeltaEvent).delta).join("")).toBe(call.arguments);
    expect(JSON.parse(call.arguments)).toEqual({ city: "test", days: 1 });
    expect(events.find((event) => event.type === "response.function_call_arguments.done")).toMatchObject({ name: "get_weather", arguments: call.arguments });

    const answer = await client.responses.create({
      model: "m",
      tools: [weatherTool],
      input: [
        { role: "user", content: "weather?" },
        { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: "function_call_output", call_id: call.call_id, output: "sunny" },
      ],
    });
    expect(answer.output_text).toBe(LOREM12);
    // tool_choice "none" and toolCalls=false also answer in text.
    const none = await client.responses.create({ model: "m", input: "x", tools: [weatherTool], tool_choice: "none" });
    expect(none.output[0].type).toBe("message");
    const cli = await clientFor("cli;toolCalls=false").responses.create({ model: "m", input: "x", tools: [weatherTool] });
    expect(cli.output[0].type).toBe("message");
  });

  it("stops at max_output_tokens (reasoning included) with status incomplete", async () => {
    fake.setKnobs("default", { outputTokens: 500, reasoningTokens: 10 });
    const response = await client.responses.create({ model: "m", input: "hi", max_output_tokens: 20 });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.usage).toMatchObject({ output_tokens: 20, output_tokens_details: { reasoning_tokens: 10 } });
    expect(response.output.at(-1)).toMatchObject({ type: "message", status: "incomplete" });

    const { events, final } = await collect(client.responses.stream({ model: "m", input: "hi", max_output_tokens: 20 }));
    expect(events.at(-1)?.type).toBe("response.incomplete");
    expect(final.status).toBe("incomplete");
    expect(final.output_text.split(" ").filter(Boolean)).toHaveLength(10);
  });

  it("sends encrypted reasoning when asked, as Codex does with store: false", async () => {
    const response = await client.responses.create({
      model: "m",
      input: "hi",
      store: false,
      reasoning: { effort: "medium" },
      include: ["reasoning.encrypted_content"],
    });
    expect(response.output[0]).toMatchObject({ type: "reasoning", summary: [] });
    expect((response.output[0] as OpenAI.Responses.ResponseReasoningItem).encrypted_content).toMatch(/^gAAAAA/);
    expect(response).toMatchObject({ store: false });
  });

  it("rejects malformed input with OpenAI's 400, naming the parameter", async () => {
    const orphan = await client.responses
      .create({ model: "m", input: [{ type: "function_call_output", call_id: "call_x", output: "1" }] })
      .catch((e: unknown) => e);
    expect(orphan).toBeInstanceOf(OpenAI.BadRequestError);
    expect((orphan as APIError).message).toContain("No tool call found for function call output with call_id call_x");

    const bad = await fetch(`${fake.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: [{ type: "telepathy" }] }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: "invalid_request_error", param: "input[0].type" } });

    const small = await client.responses.create({ model: "m", input: "x", max_output_tokens: 5 }).catch((e: unknown) => e);
    expect(small).toBeInstanceOf(OpenAI.BadRequestError);
    expect((small as APIError).param).toBe("max_output_tokens");
    // A stored response is allowed to hold the call being answered.
    const continued = await client.responses.create({
      model: "m",
      previous_response_id: "resp_1",
      input: [{ type: "function_call_output", call_id: "call_x", output: "1" }],
    });
    expect(continued.previous_response_id).toBe("resp_1");
  });
});

describe("OpenAI Responses with knobs", () => {
  it("fails with the injected status in OpenAI's error shape", async () => {
    const error = await clientFor("f;failStatus=429;failMessage=slow%20down")
      .responses.create({ model: "m", input: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as APIError).error).toMatchObject({ message: "slow down", type: "requests", code: "rate_limit_exceeded" });
    const streamed = await clientFor("f;failStatus=503")
      .responses.stream({ model: "m", input: "x" })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(streamed).toBeInstanceOf(OpenAI.InternalServerError);
    expect(fake.stats().byProvider.f).toMatchObject({ calls: 2, responses: 2, failed: 2 });
  });

  it("cuts a stream after cutAfterChunks deltas, and a non-streamed body in half", async () => {
    const stream = await clientFor("c;cut=mid;cutAfterChunks=2").responses.create({ model: "m", input: "x", stream: true });
    const deltas: string[] = [];
    const error = await (async () => {
      for await (const event of stream) if (event.type === "response.output_text.delta") deltas.push(event.delta);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(deltas).toEqual(["lorem ", "ipsum "]);
    const whole = await clientFor("c;cut=mid")
      .responses.create({ model: "m", input: "x" })
      .catch((e: unknown) => e);
    expect(whole).toBeInstanceOf(Error);
    expect(fake.stats().byProvider.c).toMatchObject({ failed: 2, aborted: 0 });
  });

  it("errorFirstEvent sends an error event, emptyStream nothing; finishReason=failed ends in response.failed", async () => {
    const errored = await fetch(`${fake.url}/p/e;errorFirstEvent;failMessage=melted/v1/responses`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: "x", stream: true }),
    });
    expect(await errored.text()).toBe(`event: error\ndata: {"type":"error","code":"server_error","message":"melted","param":null,"sequence_number":0}\n\n`);
    const empty = await clientFor("e;emptyStream")
      .responses.stream({ model: "m", input: "x" })
      .finalResponse()
      .catch((e: unknown) => e);
    expect((empty as Error).message).toContain("without sending any events");

    const { events, final } = await collect(clientFor("x;finishReason=failed;failMessage=gone").responses.stream({ model: "m", input: "x" }));
    expect(events.at(-1)?.type).toBe("response.failed");
    expect(final).toMatchObject({ status: "failed", error: { code: "server_error", message: "gone" } });
  });

  it("honours latencyMs before the headers and rejects a missing key", async () => {
    const started = performance.now();
    await clientFor("l;latencyMs=200").responses.create({ model: "m", input: "x" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(0.8 * 200);
    const anonymous = await fetch(`${fake.url}/v1/responses`, { method: "POST", body: JSON.stringify({ model: "m", input: "x" }) });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "invalid_api_key" } });
  });
});
