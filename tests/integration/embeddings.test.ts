/**
 * POST /api/v1/embeddings through the real server (the production node door; npm test
 * runs it again through the route handlers) with the official `openai` client: a string
 * and an array, token arrays, `dimensions`, the SDK's default base64 encoding decoded to
 * the upstream's very vectors, failover from a broken provider, the charge (usage ×
 * price) in the answer, the record and the ledger, Idempotency-Key replays, rate limits,
 * the model-kind refusals on both sides, the models list, and bad input answered with a
 * 400 naming the field that reaches no upstream and costs nothing.
 */
import { randomUUID } from "node:crypto";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DIMENSIONS, embeddingVector } from "@/fake-upstream/openai-embeddings";
import { createUser } from "@/lib/auth/user-service";
import { credit } from "@/lib/billing/ledger";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

type Json = Record<string, unknown>;

let gw: GatewayFixture;
let db: Db;
let payer: { userId: string; key: string; client: OpenAI };

/** An account with `nanoUsd` and no trial credit, so its ledger shows exactly what embeddings cost. */
async function accountWith(nanoUsd: bigint, limits: { rpmLimit?: number; tpmLimit?: number } = {}) {
  const previous = process.env.TRIAL_CREDIT_USD;
  process.env.TRIAL_CREDIT_USD = "0";
  const user = await createUser(db, { email: `embed-${randomUUID()}@example.com`, password: "long enough password" });
  process.env.TRIAL_CREDIT_USD = previous;
  await credit(db, { userId: user.id, kind: "top_up", amountNanoUsd: nanoUsd, idempotencyKey: `test-top-up:${user.id}` });
  const { key } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "embeddings", ...limits }), new Set());
  return { userId: user.id, key, client: new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: key, maxRetries: 0 }) };
}

const charges = (userId: string) => db.ledgerEntry.findMany({ where: { userId, kind: "charge" } });

/** The last body the fake received from a provider, as the gateway sent it. */
function lastUpstreamBody(provider: string): Json {
  return gw.fake
    .stats()
    .lastRequests.filter((r) => r.provider === provider)
    .at(-1)!.body as Json;
}

const post = (path: string, key: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  gw = await startGatewayFixture();
  db = createDb(gw.dbTarget);
  payer = await accountWith(1_000_000_000n);
});
afterAll(async () => {
  await db?.$disconnect();
  await gw?.stop();
});

describe("embeddings through the openai client", () => {
  it("embeds a string: the SDK asks for base64 by default and decodes the upstream's own vector", async () => {
    const { data, response } = await payer.client.embeddings.create({ model: "test/embed", input: "hello world" }).withResponse();
    expect(data).toMatchObject({ object: "list", model: "test/embed", usage: { prompt_tokens: 3, total_tokens: 3 } });
    expect(data.data).toHaveLength(1);
    expect(data.data[0]).toMatchObject({ object: "embedding", index: 0 });
    // Exactly the float32 numbers the upstream produced, after base64 both ways.
    expect(data.data[0].embedding).toEqual(embeddingVector("upstream-embed-fast", "hello world", DEFAULT_DIMENSIONS));
    expect(lastUpstreamBody("fast")).toEqual({ model: "upstream-embed-fast", input: "hello world", encoding_format: "base64" });
    expect(response.headers.get("x-switchyard-provider")).toBe("fast");
  });

  it("embeds an array with dimensions and float encoding, and token arrays", async () => {
    const texts = await payer.client.embeddings.create({
      model: "test/embed",
      input: ["first text", "second"],
      dimensions: 64,
      encoding_format: "float",
      user: "end-user-7",
    });
    expect(texts.data.map((item) => item.index)).toEqual([0, 1]);
    expect(texts.data.map((item) => item.embedding)).toEqual(["first text", "second"].map((text) => embeddingVector("upstream-embed-fast", text, 64)));
    expect(lastUpstreamBody("fast")).toMatchObject({ dimensions: 64, encoding_format: "float", user: "end-user-7" });
    const tokens = await payer.client.embeddings.create({
      model: "test/embed",
      input: [
        [1, 2, 3],
        [4, 5],
      ],
      dimensions: 8,
    });
    expect(tokens.usage).toMatchObject({ prompt_tokens: 5 });
    expect(tokens.data[1].embedding).toEqual(embeddingVector("upstream-embed-fast", [4, 5], 8));
  });

  it("fails over from a broken provider, and the record shows both attempts", async () => {
    const { data, response } = await payer.client.embeddings
      .create({
        model: "test/embed-failover",
        input: "failover",
        provider: { routing: { type: "order", providers: ["broken", "cheap"] } },
      } as OpenAI.EmbeddingCreateParams)
      .withResponse();
    expect(data.data[0].embedding).toHaveLength(DEFAULT_DIMENSIONS);
    expect(response.headers.get("x-switchyard-provider")).toBe("cheap");
    const record = await gw.recordOf(response, payer.key);
    expect(record.attempts.map((a) => [a.provider, a.httpStatus, a.served])).toEqual([
      ["broken", 503, false],
      ["cheap", 200, true],
    ]);
  });

  it("charges usage × the prompt price: in the answer, the generation record and the ledger", async () => {
    const account = await accountWith(1_000_000_000n);
    const input = "x".repeat(4_000);
    const { data, response } = await account.client.embeddings.create({ model: "test/embed", input }).withResponse();
    const tokens = data.usage.prompt_tokens;
    expect(tokens).toBe(1_000);
    // $2 per million input tokens.
    const expectedNano = BigInt(tokens) * 2_000n;
    expect((data.usage as unknown as { cost: number }).cost).toBe(Number(expectedNano) / 1e9);
    expect(response.headers.get("x-switchyard-cost")).toBe("0.002");
    const record = await gw.recordOf(response, account.key);
    expect(record).toMatchObject({
      api: "embeddings",
      model: "test/embed",
      provider: "fast",
      status: "success",
      streamed: false,
      usage: Number(expectedNano) / 1e9,
    });
    expect(record.nativeTokens).toMatchObject({ prompt_tokens: tokens, completion_tokens: 0 });
    expect((await charges(account.userId)).map((c) => c.amountNanoUsd)).toEqual([-expectedNano]);
  });

  it("replays an answer for a repeated Idempotency-Key with one upstream call and one charge", async () => {
    const account = await accountWith(1_000_000_000n);
    const send = () => post("/api/v1/embeddings", account.key, { model: "test/embed", input: "once only" }, { "idempotency-key": "embed-once" });
    const before = gw.fake.stats().byProvider.fast.embeddings;
    const first = await send();
    const firstBody = await first.text();
    const second = await send();
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.text()).toBe(firstBody);
    expect(gw.fake.stats().byProvider.fast.embeddings - before).toBe(1);
    expect(await charges(account.userId)).toHaveLength(1);
    // The same key for another body is refused.
    expect((await post("/api/v1/embeddings", account.key, { model: "test/embed", input: "another" }, { "idempotency-key": "embed-once" })).status).toBe(422);
  });

  it("applies the key's rate limits: 429 with OpenAI's headers, no upstream call", async () => {
    const limited = await accountWith(1_000_000_000n, { rpmLimit: 1 });
    expect((await post("/api/v1/embeddings", limited.key, { model: "test/embed", input: "one" })).status).toBe(200);
    const before = gw.fake.stats().total;
    const refused = await post("/api/v1/embeddings", limited.key, { model: "test/embed", input: "two" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("x-ratelimit-limit-requests")).toBe("1");
    expect(((await refused.json()) as { error: Json }).error).toMatchObject({ type: "rate_limit" });
    // A token budget counts the input's bound: a batch larger than the whole budget never fits.
    const tokenLimited = await accountWith(1_000_000_000n, { tpmLimit: 100 });
    expect((await post("/api/v1/embeddings", tokenLimited.key, { model: "test/embed", input: ["y".repeat(300), "z".repeat(300)] })).status).toBe(429);
    expect(gw.fake.stats().total).toBe(before);
    expect(await charges(tokenLimited.userId)).toHaveLength(0);
  });
});

describe("model kinds", () => {
  it("refuses a chat model on embeddings with 400 model_not_supported, before any upstream call or charge", async () => {
    const before = gw.fake.stats().total;
    const call = payer.client.embeddings.create({ model: "test/chat", input: "x" });
    await expect(call).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(call).rejects.toMatchObject({ status: 400, type: "model_not_supported", param: "model" });
    await expect(call).rejects.toThrow(/test\/chat is not an embedding model/);
    expect(gw.fake.stats().total).toBe(before);
  });

  it("refuses an embedding model on chat completions, Responses and Anthropic messages", async () => {
    const before = gw.fake.stats().total;
    const charged = (await charges(payer.userId)).length;
    const chat = payer.client.chat.completions.create({ model: "test/embed", messages: [{ role: "user", content: "hi" }] });
    await expect(chat).rejects.toMatchObject({ status: 400, type: "model_not_supported", param: "model" });
    await expect(chat).rejects.toThrow(/test\/embed is an embedding model: call POST \/api\/v1\/embeddings/);
    await expect(payer.client.responses.create({ model: "test/embed", input: "hi" })).rejects.toMatchObject({ status: 400, type: "model_not_supported" });
    const messages = await post(
      "/api/anthropic/v1/messages",
      payer.key,
      { model: "test/embed", max_tokens: 8, messages: [{ role: "user", content: "hi" }] },
      { "anthropic-version": "2023-06-01" },
    );
    expect(messages.status).toBe(400);
    expect(await messages.json()).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("embedding model") },
    });
    expect(gw.fake.stats().total).toBe(before);
    expect(await charges(payer.userId)).toHaveLength(charged);
  });

  it("skips a provider whose protocol has no embeddings, and says why when none is left", async () => {
    const before = gw.fake.stats().total;
    const call = payer.client.embeddings.create({ model: "test/embed-claude", input: "x" });
    await expect(call).rejects.toMatchObject({ status: 502, type: "no_provider_available" });
    await expect(call).rejects.toThrow(/claude-native speaks anthropic-messages/);
    expect(gw.fake.stats().total).toBe(before);
  });

  it('lists embedding models with output_modalities ["embedding"] on the OpenAI list only', async () => {
    const openai = (await (await fetch(`${gw.url}/api/v1/models`)).json()) as { data: Json[] };
    expect(openai.data.find((m) => m.id === "test/embed")).toMatchObject({
      output_modalities: ["embedding"],
      pricings: { prompt: [{ value: 2, unit: "perMTokens", currency: "USD" }] },
    });
    expect(openai.data.find((m) => m.id === "test/chat")).toMatchObject({ output_modalities: ["text"] });
    const retrieved = await payer.client.models.retrieve("test/embed");
    expect((retrieved as unknown as Json).output_modalities).toEqual(["embedding"]);
    const anthropic = (await (await fetch(`${gw.url}/api/anthropic/v1/models`)).json()) as { data: Json[] };
    expect(anthropic.data.some((m) => m.id === "test/chat")).toBe(true);
    expect(anthropic.data.some((m) => m.id === "test/embed")).toBe(false);
    // The model's page shows how to call it: embeddings, not chat.
    const page = await (await fetch(`${gw.url}/models/test/embed`)).text();
    expect(page).toContain("/api/v1/embeddings");
    expect(page).toContain("client.embeddings.create");
    expect(page).not.toContain("client.chat.completions.create");
  });
});

describe("bad input: 400 in OpenAI's shape naming the field, no upstream call, no charge", () => {
  const cases: [string, unknown, number, string | null][] = [
    ["no input", { model: "test/embed" }, 400, "input"],
    ["an empty string", { model: "test/embed", input: "" }, 400, "input"],
    ["an empty array", { model: "test/embed", input: [] }, 400, "input"],
    ["an empty string in an array", { model: "test/embed", input: ["fine", ""] }, 400, "input[1]"],
    ["a fractional token id", { model: "test/embed", input: [1, 2.5] }, 400, "input[1]"],
    ["a negative token id in a token array", { model: "test/embed", input: [[1], [-3]] }, 400, "input[1][0]"],
    ["dimensions 0", { model: "test/embed", input: "x", dimensions: 0 }, 400, "dimensions"],
    ["negative dimensions", { model: "test/embed", input: "x", dimensions: -1 }, 400, "dimensions"],
    ["an unknown encoding_format", { model: "test/embed", input: "x", encoding_format: "hex" }, 400, "encoding_format"],
    ["no model", { input: "x" }, 400, "model"],
    ["a body that is not JSON", "{input:", 400, null],
    ["a body over the size limit", { model: "test/embed", input: "x".repeat(250_000) }, 413, null],
  ];
  it.each(cases)("%s", async (_name, body, status, param) => {
    const account = await accountWith(1_000_000_000n);
    const before = gw.fake.stats().total;
    const response = await post("/api/v1/embeddings", account.key, body);
    expect(response.status).toBe(status);
    expect(response.headers.get("x-should-retry")).toBe("false");
    const error = ((await response.json()) as { error: Json }).error;
    expect(error).toMatchObject({ code: String(status), type: "invalid_params", param });
    expect(gw.fake.stats().total).toBe(before);
    expect(await charges(account.userId)).toHaveLength(0);
  });

  it("the SDK gets the same 400 and does not retry it", async () => {
    const retrying = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: payer.key, maxRetries: 2 });
    const before = gw.fake.stats().total;
    await expect(retrying.embeddings.create({ model: "test/embed", input: ["ok", ""] })).rejects.toMatchObject({
      status: 400,
      type: "invalid_params",
      param: "input[1]",
    });
    expect(gw.fake.stats().total).toBe(before);
  });
});
