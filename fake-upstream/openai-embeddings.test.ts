import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_DIMENSIONS } from "./openai-embeddings.ts";
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

const norm = (vector: number[]): number => Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));

async function postEmbeddings(body: unknown): Promise<Response> {
  return fetch(`${fake.url}/v1/embeddings`, {
    method: "POST",
    headers: { authorization: "Bearer k", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("OpenAI embeddings", () => {
  it("returns deterministic unit vectors through the SDK (which asks for base64 and decodes it)", async () => {
    const first = await client.embeddings.create({ model: "text-embedding-3-small", input: ["hello world", "goodbye"] });
    expect(first).toMatchObject({ object: "list", model: "text-embedding-3-small", usage: { prompt_tokens: 3 + 2, total_tokens: 5 } });
    expect(first.data.map((item) => item.index)).toEqual([0, 1]);
    const [hello, goodbye] = first.data.map((item) => item.embedding);
    expect(hello).toHaveLength(DEFAULT_DIMENSIONS);
    expect(norm(hello)).toBeCloseTo(1, 5);
    expect(hello).not.toEqual(goodbye);
    const again = await client.embeddings.create({ model: "text-embedding-3-small", input: "hello world" });
    expect(again.data[0].embedding).toEqual(hello);
    // The SDK's default base64 path (little-endian float32) and the float encoding agree exactly.
    const floats = await client.embeddings.create({ model: "text-embedding-3-small", input: "hello world", encoding_format: "float" });
    expect(floats.data[0].embedding).toEqual(hello);
    const recorded = fake.stats().lastRequests.map((request) => (request.body as { encoding_format?: string }).encoding_format);
    expect(recorded).toEqual(["base64", "base64", "float"]);
  });

  it("honours dimensions and token-array input", async () => {
    const short = await client.embeddings.create({ model: "e", input: "hello world", dimensions: 8, encoding_format: "float" });
    expect(short.data[0].embedding).toHaveLength(8);
    expect(norm(short.data[0].embedding)).toBeCloseTo(1, 5);
    const tokens = await client.embeddings.create({
      model: "e",
      input: [
        [1, 2, 3],
        [4, 5],
      ],
      dimensions: 4,
    });
    expect(tokens.data).toHaveLength(2);
    expect(tokens.usage.prompt_tokens).toBe(5);
    const flat = await client.embeddings.create({ model: "e", input: [1, 2, 3], dimensions: 4 });
    expect(flat.data).toHaveLength(1);
    expect(flat.data[0].embedding).toEqual(tokens.data[0].embedding);

    const base64 = await postEmbeddings({ model: "e", input: "hello world", dimensions: 8, encoding_format: "base64" });
    const encoded = ((await base64.json()) as { data: { embedding: string }[] }).data[0].embedding;
    const bytes = Buffer.from(encoded, "base64");
    expect(Array.from({ length: 8 }, (_, i) => bytes.readFloatLE(i * 4))).toEqual(short.data[0].embedding);
  });

  it("rejects bad input with OpenAI's 400 and applies fault knobs", async () => {
    for (const body of [{ model: "e", input: "" }, { model: "e", input: [] }, { model: "e" }, { model: "e", input: "x", dimensions: 0 }]) {
      const response = await postEmbeddings(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    }
    const faulty = new OpenAI({ baseURL: `${fake.url}/p/f;failStatus=500/v1`, apiKey: "k", maxRetries: 0 });
    expect(await faulty.embeddings.create({ model: "e", input: "x" }).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.InternalServerError);
    const cut = new OpenAI({ baseURL: `${fake.url}/p/c;cut=before/v1`, apiKey: "k", maxRetries: 0 });
    expect(await cut.embeddings.create({ model: "e", input: "x" }).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(fake.stats().byProvider.f).toMatchObject({ embeddings: 1, failed: 1 });

    const started = performance.now();
    const slow = new OpenAI({ baseURL: `${fake.url}/p/l;latencyMs=150/v1`, apiKey: "k", maxRetries: 0 });
    await slow.embeddings.create({ model: "e", input: "x" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(0.8 * 150);
  });
});
