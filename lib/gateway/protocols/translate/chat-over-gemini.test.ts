/**
 * Chat, Messages and Responses clients over a Gemini upstream: golden fixtures for the
 * request (Chat → Gemini), the JSON answer and the stream back; the translated streams
 * read by each surface's official SDK; and a property test that a Chat request sent to
 * Gemini and read back (geminiRequestToChat, below: the inverse, for this test only)
 * keeps its meaning.
 */
import { readdirSync, readFileSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import fc from "fast-check";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { encodeSse, type SseEvent } from "../../sse.ts";
import { chatSurface } from "../../surfaces/chat-surface.ts";
import { messagesSurface } from "../../surfaces/messages-surface.ts";
import { responsesSurface } from "../../surfaces/responses-surface.ts";
import type { ClientSurface, ServedAs } from "../../surfaces/types.ts";
import { chatRequestToGemini } from "./chat-over-gemini.ts";
import { createGeminiToChatStream, geminiToChatCompletion } from "./chat-over-gemini-answer.ts";

type Json = Record<string, unknown>;
type ChatShape = { model: string; id: string; created: number };

const DIR = new URL("./__fixtures__/chat-over-gemini/", import.meta.url);
function fixtures<T>(prefix: string): T[] {
  return readdirSync(DIR)
    .filter((file) => file.startsWith(prefix) && file.endsWith(".json"))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ""), ...(JSON.parse(readFileSync(new URL(file, DIR), "utf8")) as object) }) as T);
}

const requestFixtures = fixtures<{ name: string; request: Json; expected: { body: Json; dropped: string[] } }>("request-");
const responseFixtures = fixtures<{ name: string; shape: ChatShape; response: Json; expected: Json }>("response-");
const streamFixtures = fixtures<{
  name: string;
  shape: ChatShape & { includeUsage: boolean };
  chunks: string[];
  callFinish: boolean;
  expected: (Json | "[DONE]")[];
}>("stream-");

function runStream(shape: ChatShape & { includeUsage: boolean }, chunks: string[], callFinish: boolean): SseEvent[] {
  const translator = createGeminiToChatStream(shape);
  return [...chunks.flatMap((data) => translator.push({ data })), ...(callFinish ? translator.finish() : [])];
}

describe("chatRequestToGemini (golden)", () => {
  it.each(requestFixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    const request = structuredClone(fixture.request);
    expect(chatRequestToGemini(request)).toEqual(fixture.expected);
    expect(request).toEqual(fixture.request);
  });
});

describe("geminiToChatCompletion (golden)", () => {
  it.each(responseFixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    expect(geminiToChatCompletion(fixture.response, fixture.shape)).toEqual(fixture.expected);
  });
});

describe("Gemini chunks → Chat chunks (golden)", () => {
  it.each(streamFixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    const events = runStream(fixture.shape, fixture.chunks, fixture.callFinish);
    expect(events.map((e) => (e.data === "[DONE]" ? "[DONE]" : JSON.parse(e.data)))).toEqual(fixture.expected);
  });
});

// An upstream stream as the fake (and Google) sends it: thoughts, text, then a signed call; totals on the last chunk.
const usageMetadata = { promptTokenCount: 50, candidatesTokenCount: 21, totalTokenCount: 80, cachedContentTokenCount: 20, thoughtsTokenCount: 9 };
const geminiChunk = (parts: Json[], last = false) => ({
  data: JSON.stringify({
    candidates: [{ content: { role: "model", parts }, index: 0, ...(last ? { finishReason: "STOP" } : {}) }],
    usageMetadata: last ? usageMetadata : { promptTokenCount: 50, totalTokenCount: 50 },
  }),
});
const upstreamEvents = (): SseEvent[] => [
  geminiChunk([{ text: "Let me think.", thought: true }]),
  geminiChunk([{ text: "Checking " }]),
  geminiChunk([{ text: "now." }]),
  geminiChunk([{ functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "c2lnbmF0dXJl" }], true),
];
const served: ServedAs = {
  servedModel: "test/gemini",
  id: "gen_1",
  created: 1_700_000_000,
  includeUsage: true,
  estimatedInputTokens: 10,
  request: { model: "test/gemini", input: "hi" },
};

function translate(surface: ClientSurface, events: SseEvent[]): string {
  const translator = surface.streamTranslator("google-gemini", served);
  return [...events.flatMap((event) => translator.push(event)), ...translator.finish()].map(encodeSse).join("");
}
const sse = (body: string) => async () => new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });

describe("each client surface over a Gemini upstream, read by its own SDK", () => {
  it("Chat: the openai SDK assembles reasoning, text, the tool call and cached/reasoning usage", async () => {
    const client = new OpenAI({ apiKey: "k", baseURL: "http://gw.test/api/v1", maxRetries: 0, fetch: sse(translate(chatSurface, upstreamEvents())) });
    const completion = await client.chat.completions
      .stream({ model: "test/gemini", messages: [{ role: "user", content: "hi" }], stream_options: { include_usage: true } })
      .finalChatCompletion();
    expect(completion.choices[0].message.content).toBe("Checking now.");
    expect(completion.choices[0].finish_reason).toBe("tool_calls");
    expect(completion.choices[0].message.tool_calls?.[0]).toMatchObject({
      id: expect.stringMatching(/^call_gen_1_0__thought_/),
      function: { name: "get_weather", arguments: '{"city":"Paris"}' },
    });
    expect(completion.usage).toMatchObject({
      prompt_tokens: 50,
      completion_tokens: 30,
      prompt_tokens_details: { cached_tokens: 20 },
      completion_tokens_details: { reasoning_tokens: 9 },
    });
  });

  it("Chat: a stream that closes without a finishReason is the in-stream error the SDK raises", async () => {
    const client = new OpenAI({
      apiKey: "k",
      baseURL: "http://gw.test/api/v1",
      maxRetries: 0,
      fetch: sse(translate(chatSurface, upstreamEvents().slice(0, 2))),
    });
    await expect(client.chat.completions.stream({ model: "test/gemini", messages: [{ role: "user", content: "hi" }] }).finalChatCompletion()).rejects.toThrow(
      /ended early/,
    );
  });

  it("Messages: the Anthropic SDK assembles thinking, text and tool_use with Anthropic's usage", async () => {
    const client = new Anthropic({
      apiKey: "k",
      baseURL: "http://gw.test/api/anthropic",
      maxRetries: 0,
      fetch: sse(translate(messagesSurface, upstreamEvents())),
    });
    const message = await client.messages.stream({ model: "test/gemini", max_tokens: 100, messages: [{ role: "user", content: "hi" }] }).finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content.map((block) => block.type)).toEqual(["thinking", "text", "tool_use"]);
    expect(message.content[2]).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: "Paris" } });
    // Anthropic's input_tokens excludes cache reads.
    expect(message.usage).toMatchObject({ input_tokens: 30, cache_read_input_tokens: 20, output_tokens: 30 });
  });

  it("Messages: a JSON answer becomes a message with thinking, text and tool_use", () => {
    const answer = {
      candidates: [
        {
          content: {
            role: "model",
            parts: [{ text: "Hmm.", thought: true }, { text: "Checking." }, { functionCall: { name: "get_weather", args: { city: "Paris" } } }],
          },
          finishReason: "STOP",
        },
      ],
      usageMetadata,
    };
    const message = messagesSurface.jsonBody("google-gemini", answer, served);
    expect(message).toMatchObject({ id: "msg_gen_1", stop_reason: "tool_use", usage: { input_tokens: 30, cache_read_input_tokens: 20, output_tokens: 30 } });
    expect((message.content as Json[]).map((block) => block.type)).toEqual(["thinking", "text", "tool_use"]);
  });

  it("Responses: the openai SDK's responses.stream() assembles the reasoning, message and function call", async () => {
    const client = new OpenAI({ apiKey: "k", baseURL: "http://gw.test/api/v1", maxRetries: 0, fetch: sse(translate(responsesSurface, upstreamEvents())) });
    const final = await client.responses.stream({ model: "test/gemini", input: "hi" }).finalResponse();
    expect(final.id).toBe("resp_gen_1");
    expect(final.output.map((item) => item.type)).toEqual(["reasoning", "message", "function_call"]);
    expect(final.output_text).toBe("Checking now.");
    expect(final.output[2]).toMatchObject({ name: "get_weather", arguments: '{"city":"Paris"}' });
    expect(final.usage).toMatchObject({
      input_tokens: 50,
      input_tokens_details: { cached_tokens: 20 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 9 },
    });
  });

  it("a signed call comes back with its signature when the client sends the history again", () => {
    const completion = chatSurface.jsonBody(
      "google-gemini",
      {
        candidates: [
          { content: { role: "model", parts: [{ functionCall: { name: "f", args: {} }, thoughtSignature: "c2lnbmF0dXJl" }] }, finishReason: "STOP" },
        ],
      },
      served,
    );
    const message = (completion.choices as { message: Json }[])[0].message;
    const id = (message.tool_calls as { id: string }[])[0].id;
    const { body } = chatRequestToGemini({
      model: "m",
      messages: [{ role: "user", content: "hi" }, message, { role: "tool", tool_call_id: id, content: "done" }],
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "hi" }] },
      { role: "model", parts: [{ functionCall: { name: "f", args: {} }, thoughtSignature: "c2lnbmF0dXJl" }] },
      { role: "user", parts: [{ functionResponse: { name: "f", response: { output: "done" } } }] },
    ]);
  });
});

// ---- Chat → Gemini → Chat keeps a request's meaning ----

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Gemini's schema back to JSON Schema's spelling (lower-case types). */
function fromGeminiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(fromGeminiSchema);
  if (!isRecord(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === "type" && typeof value === "string"
        ? value.toLowerCase()
        : key === "properties" && isRecord(value)
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromGeminiSchema(v)]))
          : fromGeminiSchema(value),
    ]),
  );
}

/** The inverse of chatRequestToGemini, as ZenMux's "Gemini → Chat Completions" reads a request (a call's id is its place). */
function geminiRequestToChat(body: Json): Json {
  const messages: Json[] = [];
  const system = isRecord(body.systemInstruction) && Array.isArray(body.systemInstruction.parts) ? body.systemInstruction.parts : [];
  for (const part of system as Json[]) messages.push({ role: "system", content: part.text });
  let calls = 0;
  const pending = new Map<string, string[]>();
  for (const content of body.contents as { role: string; parts: Json[] }[]) {
    if (content.role === "model") {
      const text = content.parts
        .filter((p) => typeof p.text === "string")
        .map((p) => p.text)
        .join("");
      const toolCalls = content.parts
        .filter((p) => isRecord(p.functionCall))
        .map((p) => {
          const call = p.functionCall as { name: string; args: Json };
          const id = `g${calls++}`;
          pending.set(call.name, [...(pending.get(call.name) ?? []), id]);
          return { id, type: "function", function: { name: call.name, arguments: JSON.stringify(call.args) } };
        });
      messages.push({ role: "assistant", content: text || null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) });
    } else if (content.parts.every((p) => isRecord(p.functionResponse))) {
      for (const part of content.parts) {
        const response = part.functionResponse as { name: string; response: { output: string } };
        messages.push({ role: "tool", tool_call_id: pending.get(response.name)!.shift(), content: response.response.output });
      }
    } else {
      messages.push({
        role: "user",
        content: content.parts.map((p) => {
          if (typeof p.text === "string") return { type: "text", text: p.text };
          if (isRecord(p.inlineData))
            return { type: "image_url", image_url: { url: `data:${String(p.inlineData.mimeType)};base64,${String(p.inlineData.data)}` } };
          return { type: "image_url", image_url: { url: (p.fileData as Json).fileUri } };
        }),
      });
    }
  }
  const chat: Json = { model: "m", messages };
  const config = (body.generationConfig ?? {}) as Json;
  if (config.maxOutputTokens !== undefined) chat.max_completion_tokens = config.maxOutputTokens;
  if (config.temperature !== undefined) chat.temperature = config.temperature;
  if (config.topP !== undefined) chat.top_p = config.topP;
  if (config.stopSequences !== undefined) chat.stop = config.stopSequences;
  if (config.responseMimeType === "application/json")
    chat.response_format = config.responseSchema
      ? { type: "json_schema", json_schema: { name: "output", schema: fromGeminiSchema(config.responseSchema) } }
      : { type: "json_object" };
  if (isRecord(config.thinkingConfig)) {
    const budget = Number(config.thinkingConfig.thinkingBudget);
    chat.reasoning_effort = budget === 0 ? "none" : budget <= 2048 ? "low" : budget <= 5120 ? "medium" : "high";
  }
  const declarations = Array.isArray(body.tools) ? (body.tools as { functionDeclarations: Json[] }[]).flatMap((t) => t.functionDeclarations) : [];
  if (declarations.length)
    chat.tools = declarations.map((d) => ({
      type: "function",
      function: {
        name: d.name,
        ...(d.description ? { description: d.description } : {}),
        ...(d.parameters ? { parameters: fromGeminiSchema(d.parameters) } : {}),
      },
    }));
  const calling = isRecord(body.toolConfig) ? (body.toolConfig.functionCallingConfig as { mode: string; allowedFunctionNames?: string[] }) : null;
  if (calling)
    chat.tool_choice =
      calling.allowedFunctionNames?.length === 1
        ? { type: "function", function: { name: calling.allowedFunctionNames[0] } }
        : { AUTO: "auto", ANY: "required", NONE: "none" }[calling.mode];
  return chat;
}

/** What a request means, ids replaced by the order of the calls they name. */
function meaning(request: Json): Json {
  const order = new Map<string, number>();
  const textParts = (content: unknown) =>
    typeof content === "string"
      ? [{ type: "text", text: content }]
      : (content as Json[]).map((p) => (p.type === "text" ? { type: "text", text: p.text } : { type: "image_url", url: (p.image_url as Json).url }));
  const messages = (request.messages as Json[]).map((m) => {
    if (m.role === "system" || m.role === "developer")
      return { role: "system", text: typeof m.content === "string" ? m.content : (m.content as Json[]).map((p) => p.text).join("") };
    if (m.role === "user") return { role: "user", parts: textParts(m.content) };
    if (m.role === "tool") return { role: "tool", call: order.get(String(m.tool_call_id)), text: m.content };
    const calls = ((m.tool_calls as Json[] | undefined) ?? []).map((c) => {
      order.set(String(c.id), order.size);
      const fn = c.function as Json;
      return { call: order.get(String(c.id)), name: fn.name, args: JSON.parse(String(fn.arguments)) as unknown };
    });
    return { role: "assistant", text: m.content ?? "", calls };
  });
  const format = request.response_format as Json | undefined;
  return {
    messages,
    max: request.max_completion_tokens ?? request.max_tokens,
    temperature: request.temperature,
    top_p: request.top_p,
    stop: typeof request.stop === "string" ? [request.stop] : request.stop,
    reasoning_effort: request.reasoning_effort,
    format: format ? { type: format.type, schema: (format.json_schema as Json | undefined)?.schema } : undefined,
    tools: request.tools,
    tool_choice: request.tool_choice,
  };
}

const word = fc.string({ minLength: 1, maxLength: 12 });
const toolNames = ["get_weather", "get_time", "search"];
const parameters = fc
  .dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.constantFrom("string", "number", "integer", "boolean"), { minKeys: 1, maxKeys: 3 })
  .map((props) => ({
    type: "object",
    properties: Object.fromEntries(Object.entries(props).map(([k, type]) => [k, { type }])),
    required: Object.keys(props).slice(0, 1),
  }));
const userMessage = fc.oneof(
  word.map((content) => ({ role: "user", content })),
  fc
    .array(
      fc.oneof(
        word.map((text) => ({ type: "text", text })),
        fc.constantFrom(
          { type: "image_url", image_url: { url: "https://example.com/a.png" } },
          { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/AAAA" } },
        ),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((content) => ({ role: "user", content })),
);
const callArgs = fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.oneof(word, fc.integer(), fc.boolean()), { maxKeys: 3 });
const assistantTurn = fc
  .record({
    text: fc.option(word, { nil: undefined }),
    calls: fc.array(fc.record({ name: fc.constantFrom(...toolNames), args: callArgs, result: word }), { maxLength: 3 }),
  })
  .filter((turn) => turn.text !== undefined || turn.calls.length > 0);

const requestArbitrary = fc
  .record({
    system: fc.array(word, { maxLength: 2 }),
    turns: fc.array(fc.tuple(userMessage, fc.option(assistantTurn, { nil: undefined })), { minLength: 1, maxLength: 4 }),
    max: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
    topP: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    stop: fc.option(fc.array(word, { minLength: 1, maxLength: 4 }), { nil: undefined }),
    effort: fc.constantFrom(undefined, "none", "low", "medium", "high"),
    format: fc.constantFrom(undefined, "json_object", "json_schema"),
    tools: fc.option(fc.tuple(...toolNames.map(() => fc.tuple(fc.option(word, { nil: undefined }), parameters))), { nil: undefined }),
    toolChoice: fc.constantFrom(undefined, "auto", "none", "required", "named"),
  })
  .map((r) => {
    let callCount = 0;
    const messages: Json[] = r.system.map((content) => ({ role: "system", content }));
    for (const [user, assistant] of r.turns) {
      messages.push(user);
      if (!assistant) continue;
      const calls = assistant.calls.map((call) => ({ ...call, id: `call_${callCount++}` }));
      messages.push({
        role: "assistant",
        content: assistant.text ?? null,
        ...(calls.length
          ? { tool_calls: calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.args) } })) }
          : {}),
      });
      for (const call of calls) messages.push({ role: "tool", tool_call_id: call.id, content: call.result });
    }
    const request: Json = { model: "m", messages };
    if (r.max !== undefined) request.max_tokens = r.max;
    if (r.temperature !== undefined) request.temperature = r.temperature;
    if (r.topP !== undefined) request.top_p = r.topP;
    if (r.stop !== undefined) request.stop = r.stop;
    if (r.effort !== undefined) request.reasoning_effort = r.effort;
    if (r.format === "json_object") request.response_format = { type: "json_object" };
    if (r.format === "json_schema")
      request.response_format = {
        type: "json_schema",
        json_schema: { name: "out", schema: { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] } },
      };
    if (r.tools)
      request.tools = r.tools.map(([description, params], i) => ({
        type: "function",
        function: { name: toolNames[i], ...(description ? { description } : {}), parameters: params },
      }));
    if (r.tools && r.toolChoice) request.tool_choice = r.toolChoice === "named" ? { type: "function", function: { name: "get_time" } } : r.toolChoice;
    return request;
  });

describe("Chat → Gemini → Chat (property)", () => {
  it("keeps messages, tool calls and their results, images, sampling, output format, reasoning and tools", () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const { body, dropped } = chatRequestToGemini(request);
        expect(dropped).toEqual([]);
        expect(meaning(geminiRequestToChat(body))).toEqual(meaning(request));
      }),
      { numRuns: 300 },
    );
  });
});
