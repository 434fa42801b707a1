/**
 * Responses client over a Chat upstream (and, through the Chat hub, a Messages one):
 * golden fixtures replayed (requests, answers, streams); the translated streams, and a
 * Responses upstream's relayed one, accumulated by the real `openai` SDK's
 * responses.stream(); a property test that a Responses request sent through the hub
 * and back keeps its meaning; and the request checks that answer 400.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { finalItem, streamFrames, type Item } from "@/fake-upstream/openai-responses-events";
import { GatewayError } from "../../errors.ts";
import { encodeSse, type SseEvent } from "../../sse.ts";
import { responsesSurface } from "../../surfaces/responses-surface.ts";
import type { ServedAs } from "../../surfaces/types.ts";
import { parseResponsesRequest } from "../openai-responses/request-schema.ts";
import type { ResponseShape } from "../openai-responses/response-object.ts";
import { chatRequestToResponses } from "./chat-over-responses.ts";
import { chatResponseToResponses, responsesRequestToChat } from "./responses-over-chat.ts";
import { createChatToResponsesStream } from "./responses-over-chat-stream.ts";

type Json = Record<string, unknown>;
type Decoded = { event: string | undefined; data: Json };

const DIR = new URL("./__fixtures__/responses-over-chat/", import.meta.url);
function fixtures<T>(prefix: string): T[] {
  return readdirSync(DIR)
    .filter((file) => file.startsWith(prefix) && file.endsWith(".json"))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ""), ...(JSON.parse(readFileSync(new URL(file, DIR), "utf8")) as object) }) as T);
}

const requestFixtures = fixtures<{ name: string; request: Json; expected: { body: Json; dropped: string[] } }>("request-");
const responseFixtures = fixtures<{ name: string; shape: ResponseShape; response: Json; expected: Json }>("response-");
const streamFixtures = fixtures<{ name: string; shape: ResponseShape; chunks: string[]; callFinish: boolean; expected: Decoded[] }>("stream-");

const decoded = (events: SseEvent[]): Decoded[] => events.map((e) => ({ event: e.event, data: JSON.parse(e.data) as Json }));

function runStream(shape: ResponseShape, chunks: string[], callFinish: boolean): SseEvent[] {
  const translator = createChatToResponsesStream(shape);
  return [...chunks.flatMap((data) => translator.push({ data })), ...(callFinish ? translator.finish() : [])];
}

/** The event grammar every Responses stream must keep: named events, sequence numbers 0,1,2…, created first, one terminal event last. */
function expectWellFormed(events: Decoded[]): void {
  events.forEach(({ event, data }, i) => {
    expect(data.type).toBe(event);
    expect(data.sequence_number).toBe(i);
  });
  expect(events[0].event).toBe("response.created");
  const terminal = events.findIndex((e) => ["response.completed", "response.incomplete", "response.failed"].includes(e.event ?? ""));
  expect(terminal).toBe(events.length - 1);
}

/** The events, served as an SSE body, through the real SDK's responses.stream() accumulator. */
async function sdkFinalResponse(events: SseEvent[]) {
  const body = events.map(encodeSse).join("");
  const client = new OpenAI({
    apiKey: "sk-test",
    baseURL: "http://gateway.test/api/v1",
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } }),
  });
  const stream = client.responses.stream({ model: "test/chat", input: "hi" });
  const deltas: string[] = [];
  stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
  return { final: await stream.finalResponse(), deltas };
}

describe("responsesRequestToChat (golden)", () => {
  it.each(requestFixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    const request = parseResponsesRequest(structuredClone(fixture.request));
    const before = structuredClone(request);
    expect(responsesRequestToChat(request)).toEqual(fixture.expected);
    expect(request).toEqual(before);
  });
});

describe("chatResponseToResponses (golden)", () => {
  it.each(responseFixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    expect(chatResponseToResponses(fixture.response, fixture.shape)).toEqual(fixture.expected);
  });
});

describe("chat stream → Responses events (golden)", () => {
  it.each(streamFixtures.map((f) => [f.name, f] as const))("%s", async (_name, fixture) => {
    const events = runStream(fixture.shape, fixture.chunks, fixture.callFinish);
    expect(decoded(events)).toEqual(fixture.expected);
    expectWellFormed(decoded(events));
  });

  it("the SDK's finalResponse() equals the response.completed the translator sent, deltas included", async () => {
    for (const fixture of streamFixtures.filter((f) => !f.name.includes("error") && !f.name.includes("early"))) {
      const events = runStream(fixture.shape, fixture.chunks, fixture.callFinish);
      const { final, deltas } = await sdkFinalResponse(events);
      const last = decoded(events).at(-1)!.data.response as Json & { output: Json[] };
      // The SDK adds `parsed` to each output_text; everything the translator sent is there as sent.
      expect(final.output).toMatchObject(last.output);
      expect(final.status).toBe(last.status);
      expect(final.output_text).toBe(deltas.join(""));
    }
  });

  it("the SDK raises the in-stream error instead of returning a half answer", async () => {
    const fixture = streamFixtures.find((f) => f.name === "stream-error-midway")!;
    await expect(sdkFinalResponse(runStream(fixture.shape, fixture.chunks, fixture.callFinish))).rejects.toThrow(/overloaded/);
  });
});

const served: ServedAs = {
  servedModel: "test/claude",
  id: "gen_1",
  created: 1_700_000_000,
  includeUsage: true,
  estimatedInputTokens: 5,
  request: { model: "test/claude", input: "hi" },
};
const anthropic = (type: string, payload: Json = {}): SseEvent => ({ event: type, data: JSON.stringify({ type, ...payload }) });

describe("through the hub: a Messages upstream's stream as Responses events", () => {
  const messagesStream = [
    anthropic("message_start", {
      message: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude",
        content: [],
        usage: { input_tokens: 10, cache_read_input_tokens: 30, output_tokens: 1 },
      },
    }),
    anthropic("content_block_start", { index: 0, content_block: { type: "thinking", thinking: "" } }),
    anthropic("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking: "Considering." } }),
    anthropic("content_block_delta", { index: 0, delta: { type: "signature_delta", signature: "sig" } }),
    anthropic("content_block_stop", { index: 0 }),
    anthropic("content_block_start", { index: 1, content_block: { type: "text", text: "" } }),
    anthropic("content_block_delta", { index: 1, delta: { type: "text_delta", text: "Checking." } }),
    anthropic("content_block_stop", { index: 1 }),
    anthropic("content_block_start", { index: 2, content_block: { type: "tool_use", id: "toolu_1", name: "get_weather", input: {} } }),
    anthropic("content_block_delta", { index: 2, delta: { type: "input_json_delta", partial_json: '{"city":"Paris"}' } }),
    anthropic("content_block_stop", { index: 2 }),
    anthropic("message_delta", { delta: { stop_reason: "tool_use" }, usage: { output_tokens: 25 } }),
    anthropic("message_stop"),
  ];

  it("keeps thinking (as the reasoning summary), text, the tool call and cached usage", async () => {
    const translator = responsesSurface.streamTranslator("anthropic-messages", served);
    const events = [...messagesStream.flatMap((event) => translator.push(event)), ...translator.finish()];
    expectWellFormed(decoded(events));
    const { final } = await sdkFinalResponse(events);
    expect(final.id).toBe("resp_gen_1");
    expect(final.status).toBe("completed");
    expect(final.output.map((item) => item.type)).toEqual(["reasoning", "message", "function_call"]);
    expect(final.output[0]).toMatchObject({ summary: [{ type: "summary_text", text: "Considering." }] });
    expect(final.output_text).toBe("Checking.");
    expect(final.output[2]).toMatchObject({ call_id: "toolu_1", name: "get_weather", arguments: '{"city":"Paris"}' });
    // Anthropic's input excludes cache reads; Responses' input_tokens includes them.
    expect(final.usage).toMatchObject({ input_tokens: 40, input_tokens_details: { cached_tokens: 30 }, output_tokens: 25, total_tokens: 65 });
  });

  it("a Messages stream cut short ends in error + response.failed, numbered in sequence", () => {
    const translator = responsesSurface.streamTranslator("anthropic-messages", served);
    const events = decoded([...messagesStream.slice(0, 7).flatMap((event) => translator.push(event)), ...translator.finish()]);
    expectWellFormed(events);
    expect(events.slice(-2).map((e) => e.event)).toEqual(["error", "response.failed"]);
  });
});

describe("a Responses upstream relayed (passthrough)", () => {
  const base = { id: "resp_upstream", object: "response", created_at: 1, status: "in_progress", model: "upstream-model", output: [], usage: null };
  const items: Item[] = [
    { kind: "reasoning", id: "rs_1", summary: ["Let ", "me think."], encrypted: null },
    { kind: "message", id: "msg_1", parts: ["Hel", "lo"], truncated: false },
  ];
  const final = {
    ...base,
    status: "completed",
    usage: { input_tokens: 9, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 14 },
  };
  const upstreamEvents = (): SseEvent[] =>
    streamFrames(base, { ...final, output: items.map(finalItem) } as { status: string }, items).map((frame) => ({
      event: /^event: (.+)$/m.exec(frame.text)![1],
      data: /^data: (.*)$/m.exec(frame.text)![1],
    }));

  it("puts the gateway's id and the served model in, and the SDK accumulates it", async () => {
    const translator = responsesSurface.streamTranslator("openai-responses", served);
    const events = [...upstreamEvents().flatMap((event) => translator.push(event)), ...translator.finish()];
    expectWellFormed(decoded(events));
    const { final: response } = await sdkFinalResponse(events);
    expect(response.id).toBe("resp_gen_1");
    expect(response.model).toBe("test/claude");
    expect(response.output_text).toBe("Hello");
  });

  it("an upstream that stops early, or breaks, ends with error + response.failed after its last sequence number", () => {
    const early = responsesSurface.streamTranslator("openai-responses", served);
    const cut = upstreamEvents().slice(0, 6);
    const events = decoded([...cut.flatMap((event) => early.push(event)), ...early.finish()]);
    expectWellFormed(events);
    expect(events.slice(-2).map((e) => e.event)).toEqual(["error", "response.failed"]);

    const broken = responsesSurface.streamTranslator("openai-responses", served);
    cut.forEach((event) => broken.push(event));
    expect(decoded(broken.fail!(new GatewayError(502, "provider_error", "broke off"))).map((e) => e.data.sequence_number)).toEqual([6, 7]);
    expect(broken.finish()).toEqual([]);
  });
});

// ---- round trip ----

const word = fc.string({ minLength: 1, maxLength: 12 });
const callIds = fc.uniqueArray(fc.stringMatching(/^call_[a-z0-9]{4}$/), { minLength: 3, maxLength: 3 });
const userItem = fc.oneof(
  word.map((text) => ({ type: "message", role: "user", content: text })),
  fc
    .array(
      fc.oneof(
        word.map((text) => ({ type: "input_text", text })),
        fc.constantFrom(
          { type: "input_image", image_url: "https://example.com/a.png", detail: "low" },
          { type: "input_image", image_url: "data:image/png;base64,AAAA" },
        ),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((content) => ({ type: "message", role: "user", content })),
);
const assistantItem = word.map((text) => ({ type: "message", role: "assistant", content: text }));
const developerItem = word.map((text) => ({ type: "message", role: "developer", content: text }));

const requestArbitrary = fc
  .record({
    instructions: fc.option(word, { nil: undefined }),
    turns: fc.array(fc.oneof(userItem, assistantItem, developerItem, fc.constant("call")), { minLength: 1, maxLength: 6 }),
    ids: callIds,
    maxOutput: fc.option(fc.integer({ min: 16, max: 100_000 }), { nil: undefined }),
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
    topP: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    tools: fc.boolean(),
    toolChoice: fc.constantFrom(undefined, "auto", "none", "required", "named"),
    parallel: fc.option(fc.boolean(), { nil: undefined }),
    effort: fc.constantFrom(undefined, "minimal", "low", "medium", "high"),
    format: fc.constantFrom(undefined, "json_object", "json_schema"),
    metadata: fc.option(fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), word, { maxKeys: 3 }), { nil: undefined }),
    stream: fc.boolean(),
  })
  .map((r) => {
    let n = 0;
    const input = r.turns.flatMap((turn): Json[] => {
      if (turn !== "call") return [turn];
      const id = r.ids[n++ % r.ids.length] + String(n);
      return [
        { type: "function_call", call_id: id, name: "get_weather", arguments: `{"city":"${id}"}` },
        { type: "function_call_output", call_id: id, output: `result ${id}` },
      ];
    });
    const request: Json = { model: "test/chat", input };
    if (r.instructions !== undefined) request.instructions = r.instructions;
    if (r.maxOutput !== undefined) request.max_output_tokens = r.maxOutput;
    if (r.temperature !== undefined) request.temperature = r.temperature;
    if (r.topP !== undefined) request.top_p = r.topP;
    if (r.tools) {
      request.tools = [
        { type: "function", name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
      ];
      if (r.toolChoice !== undefined) request.tool_choice = r.toolChoice === "named" ? { type: "function", name: "get_weather" } : r.toolChoice;
      if (r.parallel !== undefined) request.parallel_tool_calls = r.parallel;
    }
    if (r.effort) request.reasoning = { effort: r.effort };
    if (r.format === "json_object") request.text = { format: { type: "json_object" } };
    if (r.format === "json_schema") request.text = { format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true } };
    if (r.metadata && Object.keys(r.metadata).length > 0) request.metadata = r.metadata;
    if (r.stream) request.stream = true;
    return request;
  });

describe("Responses → Chat → Responses (property)", () => {
  it("keeps the request's meaning where the mapping is lossless", () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const parsed = parseResponsesRequest(structuredClone(request));
        const chat = responsesRequestToChat(parsed);
        expect(chat.dropped).toEqual([]);
        const back = chatRequestToResponses(chat.body);
        expect(back.dropped).toEqual([]);
        // store: false is the gateway's own choice for every translated request.
        const { store, ...rest } = back.body;
        expect(store).toBe(false);
        expect(rest).toEqual(request);
      }),
      { numRuns: 300 },
    );
  });
});

// ---- bad input ----

describe("parseResponsesRequest refuses bad input with the field named", () => {
  const call = { type: "function_call", call_id: "c1", name: "f", arguments: "{}" };
  it.each([
    ["no input", { model: "m" }, "input"],
    ["input of the wrong type", { model: "m", input: 42 }, "input"],
    ["an empty input list", { model: "m", input: [] }, "input"],
    ["an unknown item type", { model: "m", input: [{ type: "telepathy" }] }, "input[0].type"],
    ["an item that is not an object", { model: "m", input: ["hi"] }, "input[0]"],
    ["a message without content", { model: "m", input: [{ role: "user" }] }, "input[0].content"],
    ["an unknown role", { model: "m", input: [{ role: "robot", content: "x" }] }, "input[0].role"],
    ["an unknown content part", { model: "m", input: [{ role: "user", content: [{ type: "input_video" }] }] }, "input[0].content[0].type"],
    ["input_text without text", { model: "m", input: [{ role: "user", content: [{ type: "input_text" }] }] }, "input[0].content[0].text"],
    ["a function_call without a name", { model: "m", input: [{ type: "function_call", call_id: "c1", arguments: "{}" }] }, "input[0].name"],
    ["a function_call_output without its call", { model: "m", input: [{ type: "function_call_output", call_id: "c1", output: "x" }] }, "input[0].call_id"],
    ["a function_call_output before its call", { model: "m", input: [{ type: "function_call_output", call_id: "c1", output: "x" }, call] }, "input[0].call_id"],
    ["max_output_tokens below 16", { model: "m", input: "x", max_output_tokens: 8 }, "max_output_tokens"],
    ["temperature above 2", { model: "m", input: "x", temperature: 3 }, "temperature"],
    ["an unknown reasoning effort", { model: "m", input: "x", reasoning: { effort: "extreme" } }, "reasoning.effort"],
    ["json_schema without a schema", { model: "m", input: "x", text: { format: { type: "json_schema", name: "a" } } }, "text.format.schema"],
    ["a function tool without a name", { model: "m", input: "x", tools: [{ type: "function" }] }, "tools[0].name"],
    ["metadata values that are not strings", { model: "m", input: "x", metadata: { a: 1 } }, "metadata.a"],
  ])("%s", (_name, body, param) => {
    let error: unknown;
    try {
      parseResponsesRequest(body);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, param });
    expect((error as Error).message).toContain(param);
  });

  it("accepts the tools and items Codex sends that only a Responses upstream can use", () => {
    expect(() =>
      parseResponsesRequest({
        model: "m",
        input: [{ type: "reasoning", summary: [], encrypted_content: "x" }, call, { type: "function_call_output", call_id: "c1", output: "ok" }],
        tools: [{ type: "local_shell" }, { type: "web_search" }, { type: "custom", name: "apply_patch" }],
      }),
    ).not.toThrow();
  });
});
