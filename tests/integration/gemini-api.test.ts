/**
 * The Gemini surface (/api/vertex-ai) through the real server (the production node door;
 * npm test runs it again through the route handlers), driven by the official
 * `@google/genai` client over each upstream protocol the fake speaks: Gemini itself
 * (relayed), Chat Completions (the hub), Anthropic Messages and Responses (through the
 * hub). generateContent and generateContentStream, a function-calling round trip,
 * thoughts, usage and cost equal to the record, the Vertex AI paths, countTokens, the
 * model list and one model, a cut stream, and Google-shaped errors that reach no
 * upstream and cost nothing.
 */
import { FinishReason, GoogleGenAI, type Content, type FunctionDeclaration, type GenerateContentResponse } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

type Json = Record<string, unknown>;

let gw: GatewayFixture;
let ai: GoogleGenAI;
beforeAll(async () => {
  gw = await startGatewayFixture();
  ai = new GoogleGenAI({ apiKey: gw.key, httpOptions: { baseUrl: `${gw.url}/api/vertex-ai`, apiVersion: "v1beta" } });
});
afterAll(async () => {
  await gw?.stop();
});

const sentTo = (provider: string) => gw.fake.stats().lastRequests.filter((r) => r.provider === provider);
const lastSent = (provider: string) => sentTo(provider).at(-1)!.body as Json;
const headerOf = (response: GenerateContentResponse, name: string) => response.sdkHttpResponse?.headers?.[name] ?? null;

async function balance(): Promise<number> {
  const response = await fetch(`${gw.url}/api/v1/management/payg/balance`, { headers: { authorization: `Bearer ${gw.key}` } });
  return ((await response.json()) as { data: { total_credits: number } }).data.total_credits;
}

const weather: FunctionDeclaration = {
  name: "get_weather",
  description: "Weather for a city",
  parametersJsonSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

const UPSTREAMS = [
  { upstream: "google-gemini", model: "test/gemini", provider: /^gemini-native$/, upstreamApi: "generateContent" },
  { upstream: "openai-chat", model: "test/chat", provider: /^(fast|slow)$/, upstreamApi: "chat.completions" },
  { upstream: "anthropic-messages", model: "test/claude", provider: /^claude-native$/, upstreamApi: "messages" },
  { upstream: "openai-responses", model: "test/responses", provider: /^responses-native$/, upstreamApi: "responses" },
] as const;

describe.each(UPSTREAMS)("Gemini clients over an $upstream upstream", ({ upstream, model, provider, upstreamApi }) => {
  it("generates content: text, the served model, usage, the cost header and the record", async () => {
    const response = await ai.models.generateContent({
      model,
      contents: "Hello there",
      config: { systemInstruction: "Answer briefly.", temperature: 0.5, maxOutputTokens: 60 },
    });
    expect(response.text).toMatch(/lorem/);
    expect(response.modelVersion).toBe(model);
    expect(response.candidates?.[0].finishReason).toBe(FinishReason.STOP);
    const usage = response.usageMetadata!;
    expect(usage.promptTokenCount).toBeGreaterThan(0);
    expect(usage.candidatesTokenCount).toBeGreaterThan(0);
    expect(usage.totalTokenCount).toBe(usage.promptTokenCount! + usage.candidatesTokenCount! + (usage.thoughtsTokenCount ?? 0));
    const servedBy = headerOf(response, "x-switchyard-provider");
    expect(servedBy).toMatch(provider);
    const cost = headerOf(response, "x-switchyard-cost")!;
    expect(Number(cost)).toBeGreaterThan(0);
    // The system instruction and sampling reached the upstream in its own protocol.
    const sent = lastSent(servedBy!);
    if (upstream === "google-gemini")
      expect(sent).toMatchObject({ systemInstruction: { parts: [{ text: "Answer briefly." }] }, generationConfig: { temperature: 0.5, maxOutputTokens: 60 } });
    if (upstream === "openai-chat")
      expect(sent).toMatchObject({
        messages: [
          { role: "system", content: "Answer briefly." },
          { role: "user", content: "Hello there" },
        ],
        temperature: 0.5,
      });
    if (upstream === "anthropic-messages") expect(sent).toMatchObject({ system: "Answer briefly.", max_tokens: 60, temperature: 0.5 });
    if (upstream === "openai-responses") expect(sent).toMatchObject({ instructions: "Answer briefly.", max_output_tokens: 60, temperature: 0.5 });
    const record = await gw.recordOf(headerOf(response, "x-request-id")!);
    expect(record).toMatchObject({ api: "generateContent", upstreamApi, model, streamed: false, costUsd: cost });
  });

  it("streams: text in chunks, the last one with finishReason and the full usage", async () => {
    const stream = await ai.models.generateContentStream({ model, contents: [{ role: "user", parts: [{ text: "Hello" }] }] });
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    const text = chunks.map((c) => c.text ?? "").join("");
    expect(text).toMatch(/lorem/);
    const last = chunks.at(-1)!;
    expect(last.candidates?.[0].finishReason).toBe(FinishReason.STOP);
    expect(last.usageMetadata?.candidatesTokenCount).toBeGreaterThan(0);
    for (const chunk of chunks) expect(chunk.modelVersion).toBe(model);
    const id = headerOf(chunks[0], "x-request-id")!;
    expect(await gw.recordOf(id)).toMatchObject({ api: "generateContent", upstreamApi, streamed: true, status: "success" });
  });

  it("calls a function and takes its response back (a round trip)", async () => {
    const config = { tools: [{ functionDeclarations: [weather] }] };
    const asked: Content = { role: "user", parts: [{ text: "What is the weather in Paris?" }] };
    const first = await ai.models.generateContent({ model, contents: [asked], config });
    const calls = first.functionCalls ?? [];
    expect(calls).toHaveLength(1);
    expect(calls[0].name).toBe("get_weather");
    expect(typeof calls[0].args).toBe("object");
    const called = first.candidates![0].content!;
    const answered: Content = { role: "user", parts: [{ functionResponse: { name: "get_weather", id: calls[0].id, response: { temperature: "21C" } } }] };
    const second = await ai.models.generateContent({ model, contents: [asked, called, answered], config });
    expect(second.functionCalls ?? []).toHaveLength(0);
    expect(second.text).toMatch(/lorem/);
    // The function's result reached the upstream, paired with its call, in the upstream's protocol.
    const sent = JSON.stringify(lastSent(headerOf(second, "x-switchyard-provider")!));
    expect(sent).toContain("21C");
    if (upstream === "openai-chat")
      expect(lastSent(headerOf(second, "x-switchyard-provider")!).messages).toEqual(
        expect.arrayContaining([expect.objectContaining({ role: "tool", tool_call_id: expect.any(String) })]),
      );
  });

  it("streams a function call whole, as Google does", async () => {
    const stream = await ai.models.generateContentStream({ model, contents: "Weather in Oslo?", config: { tools: [{ functionDeclarations: [weather] }] } });
    const calls = [];
    for await (const chunk of stream) calls.push(...(chunk.functionCalls ?? []));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ name: "get_weather", args: expect.any(Object) });
  });
});

describe("thoughts and cached tokens", () => {
  it("shows thoughts only when includeThoughts asks, and reports thinking and cached tokens", async () => {
    const plain = await ai.models.generateContent({ model: "test/gemini-cached", contents: "Hello" });
    expect(plain.candidates![0].content!.parts!.some((p) => p.thought)).toBe(false);
    expect(plain.usageMetadata).toMatchObject({ cachedContentTokenCount: 40, thoughtsTokenCount: 5 });
    const thinking = await ai.models.generateContent({
      model: "test/chat",
      contents: "Hello",
      config: { thinkingConfig: { thinkingBudget: 4096, includeThoughts: true } },
    });
    // A Chat upstream is asked for reasoning from the thinking budget.
    expect(lastSent(headerOf(thinking, "x-switchyard-provider")!)).toMatchObject({ reasoning_effort: expect.any(String) });
  });
});

describe("Vertex AI paths and the model endpoints", () => {
  it("serves @google/genai in Vertex AI express mode (publishers/{vendor}/models/{model})", async () => {
    const vertex = new GoogleGenAI({ vertexai: true, apiKey: gw.key, httpOptions: { baseUrl: `${gw.url}/api/vertex-ai`, apiVersion: "v1" } });
    const response = await vertex.models.generateContent({ model: "test/chat", contents: "Hello" });
    expect(response.text).toMatch(/lorem/);
    expect(response.modelVersion).toBe("test/chat");
  });

  it("serves the full Vertex AI path, with the key as a Bearer token", async () => {
    const response = await fetch(`${gw.url}/api/vertex-ai/v1/projects/p1/locations/us-central1/publishers/test/models/chat:generateContent`, {
      method: "POST",
      headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "Hello" }] }] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ modelVersion: "test/chat", candidates: [{ finishReason: "STOP" }] });
  });

  it("counts tokens, lists models in pages and reads one", async () => {
    const counted = await ai.models.countTokens({ model: "test/gemini", contents: "How many tokens is this sentence?" });
    expect(counted.totalTokens).toBeGreaterThan(3);
    const longer = await ai.models.countTokens({ model: "test/gemini", contents: "How many tokens is this sentence? ".repeat(20) });
    expect(longer.totalTokens).toBeGreaterThan(counted.totalTokens! * 10);
    const model = await ai.models.get({ model: "test/gemini" });
    expect(model).toMatchObject({
      name: "models/test/gemini",
      inputTokenLimit: 200_000,
      supportedActions: expect.arrayContaining(["generateContent", "countTokens"]),
    });
    const names: string[] = [];
    const pager = await ai.models.list({ config: { pageSize: 5 } });
    for await (const listed of pager) names.push(listed.name!);
    expect(names).toContain("models/test/gemini");
    expect(new Set(names).size).toBe(names.length);
    // Embedding models are not listed: generateContent cannot call them.
    expect(names.some((name) => name.includes("embed"))).toBe(false);
  });

  it("relays a cut stream as an error the SDK throws, and records it", async () => {
    const stream = await ai.models.generateContentStream({ model: "test/gemini-midcut", contents: "Hello" });
    const read = async () => {
      for await (const chunk of stream) void chunk;
    };
    await expect(read()).rejects.toThrow();
  });
});

describe("bad requests: Google's error shape, no upstream call, no charge", () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = { "x-goog-api-key": gw.key }) =>
    fetch(`${gw.url}/api/vertex-ai/v1beta/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it.each([
    ["an unknown part", { contents: [{ role: "user", parts: [{ telepathy: "x" }] }] }, 400, "INVALID_ARGUMENT", /contents\[0\]\.parts\[0\]/],
    ["no contents", { generationConfig: {} }, 400, "INVALID_ARGUMENT", /contents/],
    ["a body that is not JSON", "{not json", 400, "INVALID_ARGUMENT", /JSON/],
  ])("%s", async (_name, body, status, statusName, message) => {
    const before = { upstream: gw.fake.stats().total, balance: await balance() };
    const response = await post("models/test/chat:generateContent", body);
    expect(response.status).toBe(status);
    const error = ((await response.json()) as { error: { code: number; status: string; message: string } }).error;
    expect(error).toMatchObject({ code: status, status: statusName });
    expect(error.message).toMatch(message);
    expect(gw.fake.stats().total).toBe(before.upstream);
    expect(await balance()).toBe(before.balance);
  });

  it("refuses an unknown model, a missing key, an unserved method and an oversized body in Google's shape", async () => {
    const before = gw.fake.stats().total;
    const unknown = await post("models/test/unknown:generateContent", { contents: [{ parts: [{ text: "x" }] }] });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 404, status: "NOT_FOUND" } });
    const anonymous = await post("models/test/chat:generateContent", { contents: [{ parts: [{ text: "x" }] }] }, {});
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 401, status: "UNAUTHENTICATED" } });
    const embed = await post("models/test/chat:embedContent", { content: { parts: [{ text: "x" }] } });
    expect(embed.status).toBe(404);
    expect(((await embed.json()) as { error: { message: string } }).error.message).toMatch(/embedContent/);
    const huge = await post("models/test/chat:generateContent", { contents: [{ parts: [{ text: "x".repeat(300_000) }] }] });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { code: 413, message: expect.stringMatching(/larger than the 200000-byte limit/) } });
    expect(gw.fake.stats().total).toBe(before);
  });

  it("answers unknown paths and wrong methods with JSON, never HTML", async () => {
    const unknownPath = await fetch(`${gw.url}/api/vertex-ai/v2/models/test/chat:generateContent`, { method: "POST" });
    expect(unknownPath.status).toBe(404);
    expect(await unknownPath.json()).toMatchObject({ error: { status: "NOT_FOUND" } });
    const wrongMethod = await fetch(`${gw.url}/api/vertex-ai/v1beta/models/test/chat:generateContent`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ error: { code: 405 } });
    const getMethod = await fetch(`${gw.url}/api/vertex-ai/v1beta/models/test/chat:generateContent`);
    expect(getMethod.status).toBe(405);
  });
});
