/**
 * Gemini client over a Chat upstream: golden fixtures for the request (Gemini → Chat)
 * and the JSON answer (Chat → Gemini); the answer read by the real @google/genai SDK;
 * the mapping tables; and a property test that a Chat request sent to Gemini by
 * chat-over-gemini.ts and read back by geminiRequestToChat keeps its meaning.
 */
import { readdirSync, readFileSync } from "node:fs";
import { GoogleGenAI } from "@google/genai";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseGeminiRequest } from "../google-gemini/request-schema.ts";
import { chatRequestToGemini } from "./chat-over-gemini.ts";
import { chatCompletionToGemini, effortForBudget, fromGeminiSchema, geminiRequestToChat, type GeminiAnswerShape } from "./gemini-over-chat.ts";

type Json = Record<string, unknown>;

const DIR = new URL("./__fixtures__/gemini-over-chat/", import.meta.url);
function fixtures<T>(prefix: string): T[] {
  return readdirSync(DIR)
    .filter((file) => file.startsWith(prefix) && file.endsWith(".json"))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ""), ...(JSON.parse(readFileSync(new URL(file, DIR), "utf8")) as object) }) as T);
}

const requestFixtures = fixtures<{ name: string; options: { model: string; stream: boolean }; request: Json; expected: { body: Json; dropped: string[] } }>(
  "request-",
);
const responseFixtures = fixtures<{ name: string; shape: GeminiAnswerShape; response: Json; expected: Json }>("response-");

describe("geminiRequestToChat (golden)", () => {
  it.each(requestFixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    const request = parseGeminiRequest(structuredClone(fixture.request));
    const before = structuredClone(request);
    expect(geminiRequestToChat(request, fixture.options)).toEqual(fixture.expected);
    expect(request).toEqual(before);
  });
});

describe("chatCompletionToGemini (golden)", () => {
  it.each(responseFixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    expect(chatCompletionToGemini(fixture.response, fixture.shape)).toEqual(fixture.expected);
  });
});

describe("the JSON answer read by @google/genai", () => {
  afterEach(() => vi.unstubAllGlobals());

  async function sdkAnswer(answer: Json) {
    vi.stubGlobal("fetch", async () => new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } }));
    const ai = new GoogleGenAI({ apiKey: "sk-test", httpOptions: { baseUrl: "http://gateway.test/api/vertex-ai" } });
    return ai.models.generateContent({ model: "openai/gpt-4.1", contents: "hi" });
  }

  it("keeps thoughts out of .text, the tool calls' ids and args, and the usage", async () => {
    const fixture = responseFixtures.find((f) => f.name === "response-tool-calls")!;
    const response = await sdkAnswer(chatCompletionToGemini(fixture.response, fixture.shape));
    expect(response.functionCalls).toEqual([
      { name: "get_weather", args: { city: "Paris" }, id: "call_a" },
      { name: "get_time", args: { arguments: '{"city":' }, id: "call_b" },
      { name: "ping", args: {}, id: "call_c" },
    ]);
    expect(response.responseId).toBe("gen_1");
    expect(response.modelVersion).toBe("openai/gpt-4.1");
    const reasoning = responseFixtures.find((f) => f.name === "response-max-tokens-reasoning")!;
    const withThought = await sdkAnswer(chatCompletionToGemini(reasoning.response, reasoning.shape));
    expect(withThought.text).toBe("The answer is");
    expect(withThought.candidates?.[0].finishReason).toBe("MAX_TOKENS");
    expect(withThought.usageMetadata).toMatchObject({ promptTokenCount: 30, candidatesTokenCount: 10, thoughtsTokenCount: 40, totalTokenCount: 80 });
  });
});

describe("mapping tables", () => {
  it.each([
    [0, "none"],
    [1, "low"],
    [2048, "low"],
    [2049, "medium"],
    [5120, "medium"],
    [5121, "high"],
    [24576, "high"],
    [-1, undefined],
  ] as const)("thinkingBudget %d → reasoning_effort %s", (budget, effort) => {
    expect(effortForBudget(budget)).toBe(effort);
  });

  const toolRequest = (functionCallingConfig: Json | undefined, declarations = [{ name: "a" }, { name: "b" }]) =>
    geminiRequestToChat(
      parseGeminiRequest({
        contents: [{ parts: [{ text: "hi" }] }],
        tools: [{ functionDeclarations: declarations }],
        ...(functionCallingConfig ? { toolConfig: { functionCallingConfig } } : {}),
      }),
      { model: "m", stream: false },
    );

  it.each([
    [{ mode: "AUTO" }, "auto", []],
    [{ mode: "NONE" }, "none", []],
    [{ mode: "ANY" }, "required", []],
    [{ mode: "ANY", allowedFunctionNames: ["b"] }, { type: "function", function: { name: "b" } }, []],
    [
      { mode: "ANY", allowedFunctionNames: ["a", "b"] },
      "required",
      ["toolConfig.functionCallingConfig.allowedFunctionNames (Chat forces one named function or any)"],
    ],
    [{ mode: "VALIDATED" }, "auto", ["toolConfig.functionCallingConfig.mode VALIDATED (served as AUTO: Chat has no validated mode)"]],
    [{}, undefined, []],
  ] as const)("functionCallingConfig %j → tool_choice %j", (config, choice, dropped) => {
    const { body, dropped: notes } = toolRequest(config);
    expect(body.tool_choice).toEqual(choice);
    expect(notes).toEqual(dropped);
  });

  it("sends no tool_choice without function tools (Chat refuses one)", () => {
    const { body } = toolRequest({ mode: "ANY" }, []);
    expect(body).not.toHaveProperty("tools");
    expect(body).not.toHaveProperty("tool_choice");
  });

  it("lower-cases schema types, not a property that is called type", () => {
    const schema = {
      type: "OBJECT",
      properties: { type: { type: "STRING", enum: ["A", "B"] }, items: { type: "ARRAY", items: { type: "NUMBER" }, nullable: true } },
      anyOf: [{ type: "INTEGER" }],
    };
    expect(fromGeminiSchema(schema)).toEqual({
      type: "object",
      properties: { type: { type: "string", enum: ["A", "B"] }, items: { type: ["array", "null"], items: { type: "number" } } },
      anyOf: [{ type: "integer" }],
    });
  });

  it("a response that names no earlier call, and one more than the calls, are dropped, not sent unpaired", () => {
    const request = parseGeminiRequest({
      contents: [
        { role: "model", parts: [{ functionCall: { name: "f", args: {} } }] },
        {
          role: "user",
          parts: [{ functionResponse: { name: "f", response: { output: "1" } } }, { functionResponse: { name: "f", response: { output: "2" } } }],
        },
      ],
    });
    const { body, dropped } = geminiRequestToChat(request, { model: "m", stream: false });
    expect(body.messages).toEqual([
      { role: "assistant", content: null, tool_calls: [{ id: "call_0", type: "function", function: { name: "f", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "call_0", content: "1" },
    ]);
    expect(dropped).toEqual(["contents[1].parts[1] (a functionResponse for a call not in the history)"]);
  });

  it("generated ids never take an id the client gave to a later call", () => {
    const request = parseGeminiRequest({
      contents: [
        { role: "model", parts: [{ functionCall: { name: "f" } }] },
        { role: "user", parts: [{ functionResponse: { name: "f", response: { output: "first" } } }] },
        { role: "model", parts: [{ functionCall: { name: "f", id: "call_0" } }] },
        { role: "user", parts: [{ functionResponse: { name: "f", id: "call_0", response: { output: "second" } } }] },
      ],
    });
    const messages = geminiRequestToChat(request, { model: "m", stream: false }).body.messages as Json[];
    expect(messages.filter((m) => m.role === "tool")).toEqual([
      { role: "tool", tool_call_id: "call_1", content: "first" },
      { role: "tool", tool_call_id: "call_0", content: "second" },
    ]);
  });
});

// ---- Chat → Gemini (chat-over-gemini.ts) → Chat (this translator) keeps a request's meaning ----

/** What a Chat request means, call ids replaced by the order of the calls they name. */
function meaning(request: Json): Json {
  const order = new Map<string, number>();
  const parts = (content: unknown) =>
    typeof content === "string"
      ? [{ type: "text", text: content }]
      : (content as Json[]).map((p) => (p.type === "text" ? { type: "text", text: p.text } : { type: "image", url: (p.image_url as Json).url }));
  const messages = (request.messages as Json[]).map((m) => {
    if (m.role === "system") return { role: "system", text: m.content };
    if (m.role === "user") return { role: "user", parts: parts(m.content) };
    if (m.role === "tool") return { role: "tool", call: order.get(String(m.tool_call_id)), text: m.content };
    const calls = ((m.tool_calls as Json[] | undefined) ?? []).map((c) => {
      order.set(String(c.id), order.size);
      const fn = c.function as Json;
      return { call: order.get(String(c.id)), name: fn.name, args: JSON.parse(String(fn.arguments)) as unknown };
    });
    return { role: "assistant", text: m.content ?? "", calls };
  });
  const format = request.response_format as Json | undefined;
  const fields = ["temperature", "top_p", "seed", "presence_penalty", "frequency_penalty", "reasoning_effort", "tools", "tool_choice"];
  return {
    messages,
    max: request.max_completion_tokens ?? request.max_tokens,
    stop: typeof request.stop === "string" ? [request.stop] : request.stop,
    format: format ? { type: format.type, schema: (format.json_schema as Json | undefined)?.schema } : undefined,
    ...Object.fromEntries(fields.map((field) => [field, request[field]])),
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
const image = fc.constantFrom(
  { type: "image_url", image_url: { url: "https://example.com/a.png" } },
  { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/AAAA" } },
);
const userMessage = fc.oneof(
  word.map((content) => ({ role: "user", content })),
  fc
    .array(
      fc.oneof(
        word.map((text) => ({ type: "text", text })),
        image,
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((content) => ({ role: "user", content })),
);
const callArgs = fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.oneof(word, fc.integer(), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 })), {
  maxKeys: 3,
});
const assistantTurn = fc
  .record({
    text: fc.option(word, { nil: undefined }),
    calls: fc.array(fc.record({ name: fc.constantFrom(...toolNames), args: callArgs, result: word }), { maxLength: 3 }),
  })
  .filter((turn) => turn.text !== undefined || turn.calls.length > 0);
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

const requestArbitrary = fc
  .record({
    system: fc.array(word, { maxLength: 2 }),
    turns: fc.array(fc.tuple(userMessage, optional(assistantTurn), fc.boolean()), { minLength: 1, maxLength: 4 }),
    max: optional(fc.integer({ min: 1, max: 100_000 })),
    temperature: optional(fc.double({ min: 0, max: 2, noNaN: true })),
    top_p: optional(fc.double({ min: 0, max: 1, noNaN: true })),
    seed: optional(fc.integer()),
    presence_penalty: optional(fc.double({ min: -2, max: 2, noNaN: true })),
    frequency_penalty: optional(fc.double({ min: -2, max: 2, noNaN: true })),
    stop: optional(fc.array(word, { minLength: 1, maxLength: 4 })),
    reasoning_effort: fc.constantFrom(undefined, "none", "low", "medium", "high"),
    format: fc.constantFrom(undefined, "json_object", "json_schema"),
    tools: optional(fc.tuple(...toolNames.map(() => fc.tuple(optional(word), parameters)))),
    toolChoice: fc.constantFrom(undefined, "auto", "none", "required", "named"),
  })
  .map((r) => {
    let callCount = 0;
    const messages: Json[] = r.system.map((content) => ({ role: "system", content }));
    for (const [user, assistant, parallelResults] of r.turns) {
      messages.push(user);
      if (!assistant) continue;
      const calls = assistant.calls.map((call) => ({ ...call, id: `call_up_${callCount++}` }));
      messages.push({
        role: "assistant",
        content: assistant.text ?? null,
        ...(calls.length
          ? { tool_calls: calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.args) } })) }
          : {}),
      });
      // Results in call order, or reversed: Gemini pairs them by name and order, so only same-name calls must keep theirs.
      const results = parallelResults ? calls : [...calls].reverse();
      for (const call of results) messages.push({ role: "tool", tool_call_id: call.id, content: call.result });
    }
    const request: Json = { model: "m", messages };
    if (r.max !== undefined) request.max_tokens = r.max;
    for (const field of ["temperature", "top_p", "seed", "presence_penalty", "frequency_penalty", "stop", "reasoning_effort"] as const)
      if (r[field] !== undefined) request[field] = r[field];
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

/** Same-name results given out of order cannot keep their pairing in Gemini (it pairs by name and order); compare what Gemini can say. */
function pairedByNameInOrder(request: Json): boolean {
  const messages = request.messages as Json[];
  const nameOf = new Map<string, string>();
  for (const m of messages) for (const c of (m.tool_calls as Json[] | undefined) ?? []) nameOf.set(String(c.id), String((c.function as Json).name));
  const expected = new Map<string, string[]>();
  for (const m of messages) {
    for (const c of (m.tool_calls as Json[] | undefined) ?? [])
      expected.set(nameOf.get(String(c.id))!, [...(expected.get(nameOf.get(String(c.id))!) ?? []), String(c.id)]);
    if (m.role === "tool" && expected.get(nameOf.get(String(m.tool_call_id))!)?.shift() !== m.tool_call_id) return false;
  }
  return true;
}

describe("Chat → Gemini → Chat (property)", () => {
  it("keeps messages, images, tool calls and which result answers which, sampling, output format, reasoning and tools", () => {
    fc.assert(
      fc.property(requestArbitrary, fc.boolean(), (request, stream) => {
        fc.pre(pairedByNameInOrder(request));
        const gemini = chatRequestToGemini(request);
        expect(gemini.dropped).toEqual([]);
        const { body, dropped } = geminiRequestToChat(parseGeminiRequest(gemini.body), { model: "m", stream });
        expect(dropped).toEqual([]);
        expect(meaning(body)).toEqual(meaning(request));
        expect(body.stream_options).toEqual(stream ? { include_usage: true } : undefined);
      }),
      { numRuns: 300 },
    );
  });
});
