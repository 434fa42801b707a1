import { ApiError, type FunctionDeclaration, type GenerateContentResponse, GoogleGenAI, Type } from "@google/genai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeUpstream, startFakeUpstream } from "./server.ts";

let fake: FakeUpstream;
let ai: GoogleGenAI;

/** A client for one fake provider name (`/p/<segment>`); the SDK retries nothing unless told to. */
function gemini(segment?: string, options: { vertexai?: boolean } = {}): GoogleGenAI {
  const baseUrl = segment ? `${fake.url}/p/${segment}` : fake.url;
  return new GoogleGenAI({ apiKey: "AIza-test-5678", httpOptions: { baseUrl }, ...options });
}

beforeAll(async () => {
  fake = await startFakeUpstream();
  ai = gemini();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearKnobs();
  fake.resetStats();
});

const weather: FunctionDeclaration = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: {
    type: Type.OBJECT,
    properties: { city: { type: Type.STRING }, days: { type: Type.INTEGER }, optional: { type: Type.STRING } },
    required: ["city", "days"],
  },
};
const LOREM12 = "lorem ipsum dolor sit amet consectetur adipiscing elit lorem ipsum dolor sit ";
const THOUGHT = "Let me think about this request step by step.";

async function post(path: string, body: unknown, headers: Record<string, string> = { "x-goog-api-key": "k" }): Promise<Response> {
  return fetch(`${fake.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

describe("Google Gemini", () => {
  it("answers generateContent with text, finishReason and usageMetadata; the model id keeps its slash", async () => {
    // "Hello there" = 11 chars → 3, + 4 for one content.
    const response = await ai.models.generateContent({ model: "google/gemini-2.5-pro", contents: "Hello there" });
    expect(response.text).toBe(LOREM12);
    expect(response.candidates?.[0]).toMatchObject({ finishReason: "STOP", index: 0, content: { role: "model" } });
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 7, candidatesTokenCount: 12, totalTokenCount: 19 });
    expect(response.usageMetadata?.thoughtsTokenCount).toBeUndefined();
    expect(response.modelVersion).toBe("google/gemini-2.5-pro");
    const [recorded] = fake.stats().lastRequests;
    expect(recorded).toMatchObject({ path: "/v1beta/models/google/gemini-2.5-pro:generateContent", stream: false });
    expect(recorded.headers["x-goog-api-key"]).toBe("***5678");
  });

  it("streams chunks through generateContentStream, usage on the last one, thoughts when asked", async () => {
    fake.setKnobs("default", { outputTokens: 3, cachedTokens: 4, reasoningTokens: 5 });
    const chunks: GenerateContentResponse[] = [];
    const stream = await ai.models.generateContentStream({
      model: "gemini-2.5-flash",
      contents: [{ role: "user", parts: [{ text: "hi" }] }],
      config: { systemInstruction: "abcd", thinkingConfig: { includeThoughts: true } },
    });
    for await (const chunk of stream) chunks.push(chunk);
    const parts = chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []);
    expect(
      parts
        .filter((part) => part.thought)
        .map((part) => part.text)
        .join(""),
    ).toBe(THOUGHT);
    expect(
      parts
        .filter((part) => !part.thought)
        .map((part) => part.text)
        .join(""),
    ).toBe("lorem ipsum dolor ");
    expect(chunks.slice(0, -1).every((chunk) => chunk.candidates?.[0]?.finishReason === undefined)).toBe(true);
    const last = chunks.at(-1);
    expect(last?.candidates?.[0]?.finishReason).toBe("STOP");
    // "abcd" + "hi" = 6 chars → 2, + 4 × 2 contents (system counts), + 4 cached.
    expect(last?.usageMetadata).toMatchObject({
      promptTokenCount: 14,
      cachedContentTokenCount: 4,
      candidatesTokenCount: 3,
      thoughtsTokenCount: 5 + 9,
      totalTokenCount: 14 + 3 + 14,
    });
    expect(fake.stats().lastRequests[0]).toMatchObject({
      path: "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
      url: expect.stringContaining("alt=sse") as unknown,
      stream: true,
    });
  });

  it("calls a function, signs it when thinking, and answers the functionResponse in text", async () => {
    fake.setKnobs("default", { reasoningTokens: 3 });
    const config = { tools: [{ functionDeclarations: [weather] }] };
    const call = await ai.models.generateContent({ model: "m", contents: "weather?", config });
    expect(call.functionCalls).toEqual([{ name: "get_weather", args: { city: "test", days: 1 } }]);
    const part = call.candidates?.[0]?.content?.parts?.[0];
    expect(part?.thoughtSignature).toEqual(expect.any(String));
    expect(call.candidates?.[0]?.finishReason).toBe("STOP");

    const answer = await ai.models.generateContent({
      model: "m",
      config,
      contents: [
        { role: "user", parts: [{ text: "weather?" }] },
        { role: "model", parts: [part ?? {}] },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "sunny" } } }] },
      ],
    });
    expect(answer.text).toBe(LOREM12);
    const none = await ai.models.generateContent({
      model: "m",
      contents: "x",
      config: { ...config, toolConfig: { functionCallingConfig: { mode: "NONE" as never } } },
    });
    expect(none.functionCalls).toBeUndefined();

    const streamed: GenerateContentResponse[] = [];
    for await (const chunk of await ai.models.generateContentStream({ model: "m", contents: "weather?", config })) streamed.push(chunk);
    expect(streamed.flatMap((chunk) => chunk.functionCalls ?? [])).toEqual([{ name: "get_weather", args: { city: "test", days: 1 } }]);
  });

  it("caps output at maxOutputTokens (thoughts included) with MAX_TOKENS", async () => {
    fake.setKnobs("default", { outputTokens: 100, reasoningTokens: 4 });
    const response = await ai.models.generateContent({ model: "m", contents: "hi", config: { maxOutputTokens: 10 } });
    expect(response.candidates?.[0]?.finishReason).toBe("MAX_TOKENS");
    expect(response.usageMetadata).toMatchObject({ candidatesTokenCount: 6, thoughtsTokenCount: 4 });
    fake.setKnobs("default", { finishReason: "SAFETY" });
    const unsafe = await ai.models.generateContent({ model: "m", contents: "hi" });
    expect(unsafe.candidates?.[0]?.finishReason).toBe("SAFETY");
  });

  it("counts tokens and lists models, ids with a slash included", async () => {
    fake.setKnobs("default", { models: "gemini-2.5-flash,google/gemini-2.5-pro" });
    const counted = await ai.models.countTokens({ model: "m", contents: "Hello there" });
    expect(counted.totalTokens).toBe(7);
    const listed: string[] = [];
    for await (const model of await ai.models.list()) listed.push(model.name ?? "");
    expect(listed).toEqual(["models/gemini-2.5-flash", "models/google/gemini-2.5-pro"]);
    const one = await ai.models.get({ model: "google/gemini-2.5-pro" });
    expect(one).toMatchObject({ name: "models/google/gemini-2.5-pro", inputTokenLimit: expect.any(Number) as unknown });
    const missing = await ai.models.get({ model: "nope" }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).status).toBe(404);
    // Gemini's v1 list shares OpenAI's path; a Google key picks Gemini's shape.
    const v1 = await fetch(`${fake.url}/v1/models?key=k`);
    expect(await v1.json()).toMatchObject({ models: [{ name: "models/gemini-2.5-flash" }, { name: "models/google/gemini-2.5-pro" }] });
    expect(fake.stats().lastRequests.at(-1)?.url).toBe("/v1/models?key=***k");
  });

  it("serves the v1 and Vertex AI paths, streaming a JSON array without alt=sse", async () => {
    const vertex = gemini(undefined, { vertexai: true });
    const response = await vertex.models.generateContent({ model: "gemini-2.5-flash", contents: "hi" });
    expect(response.text).toBe(LOREM12);
    expect(fake.stats().lastRequests[0].path).toMatch(/^\/v1(beta1)?\/publishers\/google\/models\/gemini-2\.5-flash:generateContent$/);

    const body = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
    const bearer = { authorization: "Bearer ya29.token" };
    const projectPath = "/v1/projects/p/locations/us-central1/publishers/google/models/google/gemini-2.5-pro";
    const array = await post(`${projectPath}:streamGenerateContent`, body, bearer);
    expect(array.headers.get("content-type")).toContain("application/json");
    const chunks = (await array.json()) as GenerateContentResponse[];
    expect(chunks).toHaveLength(12);
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe("STOP");
    const v1 = await post("/v1/models/gemini-2.5-flash:generateContent", body);
    expect(v1.status).toBe(200);
    expect((await post(`${projectPath}:countTokens`, body, bearer)).status).toBe(200);
  });

  it("rejects bad requests and keys in Google's error shape", async () => {
    const unknownPart = await post("/v1beta/models/m:generateContent", { contents: [{ role: "user", parts: [{ txt: "hi" }] }] });
    expect(unknownPart.status).toBe(400);
    expect(await unknownPart.json()).toEqual({
      error: {
        code: 400,
        message: `Invalid JSON payload received. Unknown name "txt" at 'contents[0].parts[0]': Cannot find field.`,
        status: "INVALID_ARGUMENT",
      },
    });
    const empty = await post("/v1beta/models/m:generateContent", { contents: [] });
    expect(await empty.json()).toMatchObject({
      error: { code: 400, status: "INVALID_ARGUMENT", message: expect.stringContaining("contents is not specified") as unknown },
    });

    const anonymous = await post("/v1beta/models/m:generateContent", { contents: [{ parts: [{ text: "x" }] }] }, {});
    expect(anonymous.status).toBe(403);
    expect(await anonymous.json()).toMatchObject({ error: { status: "PERMISSION_DENIED" } });
    const wrongKey = await gemini("locked;requireKey=right")
      .models.generateContent({ model: "m", contents: "x" })
      .catch((e: unknown) => e);
    expect(wrongKey).toBeInstanceOf(ApiError);
    expect((wrongKey as ApiError).status).toBe(400);
    expect((wrongKey as ApiError).message).toContain("API_KEY_INVALID");
    const vertexAnonymous = await post("/v1/projects/p/locations/l/publishers/google/models/m:generateContent", { contents: [{ parts: [{ text: "x" }] }] }, {});
    expect(vertexAnonymous.status).toBe(401);
    expect(await vertexAnonymous.json()).toMatchObject({ error: { status: "UNAUTHENTICATED" } });
    const lost = await post("/v1beta/models/m:explode", {});
    expect(lost.status).toBe(404);
    expect(await lost.json()).toMatchObject({ error: { code: 404, status: "NOT_FOUND" } });
  });
});

describe("Google Gemini with knobs", () => {
  it("fails with the injected status as RESOURCE_EXHAUSTED / UNAVAILABLE", async () => {
    const limited = await gemini("f;failStatus=429")
      .models.generateContent({ model: "m", contents: "x" })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ApiError);
    expect((limited as ApiError).status).toBe(429);
    expect((limited as ApiError).message).toContain("RESOURCE_EXHAUSTED");
    const down = await gemini("f;failStatus=503")
      .models.generateContentStream({ model: "m", contents: "x" })
      .catch((e: unknown) => e);
    expect((down as ApiError).status).toBe(503);
    expect(fake.stats().byProvider.f).toMatchObject({ calls: 2, gemini: 2, failed: 2 });
  });

  it("cuts a stream after cutAfterChunks chunks; errorFirstEvent is an error chunk the SDK throws", async () => {
    const texts: string[] = [];
    const error = await (async () => {
      for await (const chunk of await gemini("c;cut=mid;cutAfterChunks=2").models.generateContentStream({ model: "m", contents: "x" })) {
        texts.push(chunk.text ?? "");
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(texts).toEqual(["lorem ", "ipsum "]);
    expect(fake.stats().byProvider.c).toMatchObject({ failed: 1, aborted: 0 });

    const errored = await (async () => {
      for await (const chunk of await gemini("e;errorFirstEvent;failMessage=melted").models.generateContentStream({ model: "m", contents: "x" })) {
        texts.push(chunk.text ?? "");
      }
    })().catch((e: unknown) => e);
    expect(errored).toBeInstanceOf(ApiError);
    expect((errored as ApiError).message).toContain("melted");
  });

  it("honours latencyMs before the headers", async () => {
    const started = performance.now();
    await gemini("l;latencyMs=200").models.generateContent({ model: "m", contents: "x" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(0.8 * 200);
  });
});
