/**
 * POST /api/v1/responses through the real server (the production node door; npm test
 * runs it again through the route handlers), driven by the official `openai` client,
 * over each upstream protocol the fake speaks: Chat Completions (translated, Chat is the
 * hub), Anthropic Messages (through the hub) and Responses itself (relayed). create and
 * stream() + finalResponse(), instructions, a tool call round trip, reasoning, usage with
 * cached and reasoning tokens, cost equal to the ledger charge and the record, failover
 * into the native protocol, a cut stream, and 400s that reach no upstream and cost nothing.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { credit } from "@/lib/billing/ledger";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

type Json = Record<string, unknown>;

let gw: GatewayFixture;
let db: Db;
let client: OpenAI;
beforeAll(async () => {
  gw = await startGatewayFixture();
  db = createDb(gw.dbTarget);
  client = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: gw.key, maxRetries: 0 });
});
afterAll(async () => {
  await db?.$disconnect();
  await gw?.stop();
});

const tools: OpenAI.Responses.Tool[] = [
  {
    type: "function",
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    strict: false,
  },
];

/** The last request the fake received for a provider name, as it was sent upstream. */
function lastUpstreamBody(provider: string): Json {
  const requests = gw.fake.stats().lastRequests.filter((r) => r.provider === provider);
  return requests.at(-1)!.body as Json;
}

async function generation(id: string, key = gw.key): Promise<Json> {
  return (await gw.recordOf(id, key)) as Json;
}

const UPSTREAMS = [
  { upstream: "openai-chat", model: "test/chat", provider: /^(fast|slow)$/ },
  { upstream: "anthropic-messages", model: "test/claude", provider: /^claude-native$/ },
  { upstream: "openai-responses", model: "test/responses", provider: /^responses-native$/ },
] as const;

describe.each(UPSTREAMS)("Responses over an $upstream upstream", ({ upstream, model, provider }) => {
  it("creates a response: text, the gateway's id, the served model, usage and cost", async () => {
    const { data: response, response: raw } = await client.responses.create({ model, input: "Hello there", instructions: "Answer briefly." }).withResponse();
    expect(response.object).toBe("response");
    expect(response.id).toBe(`resp_${raw.headers.get("x-request-id")}`);
    expect(response.model).toBe(model);
    expect(response.status).toBe("completed");
    expect(response.output_text).toMatch(/lorem/);
    expect(response.usage?.output_tokens).toBeGreaterThan(0);
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    expect(response.usage?.total_tokens).toBe(response.usage!.input_tokens + response.usage!.output_tokens);
    expect((response.usage as unknown as { cost: number }).cost).toBeGreaterThan(0);
    expect(raw.headers.get("x-switchyard-provider")).toMatch(provider);
    // The instructions reached the upstream in its own protocol.
    const sent = lastUpstreamBody(raw.headers.get("x-switchyard-provider")!);
    if (upstream === "openai-chat")
      expect(sent.messages).toEqual([
        { role: "system", content: "Answer briefly." },
        { role: "user", content: "Hello there" },
      ]);
    if (upstream === "anthropic-messages")
      expect(sent).toMatchObject({ system: "Answer briefly.", messages: [{ role: "user", content: [{ type: "text", text: "Hello there" }] }] });
    if (upstream === "openai-responses")
      expect(sent).toMatchObject({ instructions: "Answer briefly.", input: "Hello there", store: false, model: "upstream-responses-native" });
    // The activity record says which API served it.
    expect(await generation(raw.headers.get("x-request-id")!)).toMatchObject({ api: "responses", model, streamed: false });
  });

  it("streams through responses.stream() to a final response, every event numbered", async () => {
    const stream = client.responses.stream({ model, input: "Hello", instructions: "Be kind." });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    const deltas: string[] = [];
    stream.on("event", (event) => events.push(event));
    stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(["response.created", "response.in_progress"]);
    for (const type of [
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
    ])
      expect(types).toContain(type);
    expect(types.at(-1)).toBe("response.completed");
    expect(final.status).toBe("completed");
    expect(final.model).toBe(model);
    expect(final.output_text).toBe(deltas.join(""));
    expect(final.output_text).toMatch(/lorem/);
    expect(final.usage?.output_tokens).toBeGreaterThan(0);
    expect((final.usage as unknown as { cost: number }).cost).toBeGreaterThan(0);
  });

  it("completes a tool call round trip with function_call_output, streamed and not", async () => {
    const first = await client.responses.create({ model, input: [{ role: "user", content: "Weather in Paris?" }], tools });
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", name: "get_weather" });
    if (call?.type !== "function_call") throw new Error("no call");
    expect(JSON.parse(call.arguments)).toEqual({ city: "test" });

    const stream = client.responses.stream({ model, input: [{ role: "user", content: "Weather in Paris?" }], tools });
    const argumentDeltas: string[] = [];
    stream.on("response.function_call_arguments.delta", (event) => argumentDeltas.push(event.delta));
    const streamed = (await stream.finalResponse()).output.find((item) => item.type === "function_call");
    if (streamed?.type !== "function_call") throw new Error("no streamed call");
    expect(argumentDeltas.join("")).toBe(streamed.arguments);
    expect(JSON.parse(streamed.arguments)).toEqual({ city: "test" });

    const answer = await client.responses.create({
      model,
      input: [
        { role: "user", content: "Weather in Paris?" },
        { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: "function_call_output", call_id: call.call_id, output: "Sunny, 21 °C" },
      ],
      tools,
    });
    expect(answer.output.some((item) => item.type === "function_call")).toBe(false);
    expect(answer.output_text).toMatch(/lorem/);
  });

  it("returns reasoning as a reasoning item with its summary", async () => {
    const stream = client.responses.stream({ model, input: "Think first", reasoning: { effort: "medium", summary: "auto" } });
    const summaryDeltas: string[] = [];
    stream.on("response.reasoning_summary_text.delta", (event) => summaryDeltas.push(event.delta));
    const final = await stream.finalResponse();
    if (upstream === "openai-chat") {
      // The fake Chat upstream reasons silently; the effort reached it.
      expect(lastUpstreamBody(String(gw.fake.stats().lastRequests.at(-1)?.provider))).toMatchObject({ reasoning_effort: "medium" });
      return;
    }
    const reasoning = final.output.find((item) => item.type === "reasoning");
    expect(reasoning?.type === "reasoning" && reasoning.summary[0]?.text).toBe(summaryDeltas.join(""));
    expect(summaryDeltas.join("")).toMatch(/think/i);
    if (upstream === "openai-responses") expect(final.usage?.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });
});

describe("usage, billing and the record", () => {
  async function accountWith(email: string, nanoUsd: bigint): Promise<{ userId: string; key: string }> {
    const previous = process.env.TRIAL_CREDIT_USD;
    process.env.TRIAL_CREDIT_USD = "0";
    const user = await createUser(db, { email, password: "long enough password" });
    process.env.TRIAL_CREDIT_USD = previous;
    await credit(db, { userId: user.id, kind: "top_up", amountNanoUsd: nanoUsd, idempotencyKey: `test-top-up:${user.id}` });
    const { key } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "responses" }), new Set());
    return { userId: user.id, key };
  }

  it("maps cached and reasoning tokens, and charges exactly the cost it reports, JSON and streamed", async () => {
    const { userId, key } = await accountWith("responses-payer@example.com", 1_000_000_000n);
    const payer = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: key, maxRetries: 0 });
    const { data: json, response: raw } = await payer.responses.create({ model: "test/responses-cached", input: "Hello" }).withResponse();
    expect(json.usage?.input_tokens_details.cached_tokens).toBe(40);
    expect(json.usage?.output_tokens_details.reasoning_tokens).toBe(5);
    const streamed = await payer.responses.stream({ model: "test/cached", input: "Hello" }).finalResponse();
    // A Chat upstream's cached tokens, through the hub.
    expect(streamed.usage?.input_tokens_details.cached_tokens).toBe(1000);

    const costs = [json, streamed].map((response) => (response.usage as unknown as { cost: number; cost_details: Json }).cost);
    expect((json.usage as unknown as { cost_details: Json }).cost_details.input_cache_read).toBeGreaterThan(0);
    const record = await generation(raw.headers.get("x-request-id")!, key);
    expect(record.usage).toBe(costs[0]);
    expect(record.api).toBe("responses");
    const charges = await db.ledgerEntry.findMany({ where: { userId, kind: "charge" }, orderBy: { createdAt: "asc" } });
    expect(charges.map((c) => -Number(c.amountNanoUsd) / 1e9).sort()).toEqual([...costs].sort());
  });

  it("holds before calling: a balance below the request's bound is a 402 in OpenAI's shape, and nothing is sent", async () => {
    // test/chat at $2/M output: the 4,096-token cap the gateway sends bounds the hold at ~8,200 nano-USD.
    const { userId, key } = await accountWith("responses-poor@example.com", 1_000n);
    const poor = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: key, maxRetries: 2 });
    const before = gw.fake.stats().total;
    const call = poor.responses.create({ model: "test/chat", input: "Hello" });
    await expect(call).rejects.toMatchObject({ status: 402, type: "reject_no_credit" });
    expect(gw.fake.stats().total).toBe(before);
    expect(await db.ledgerEntry.count({ where: { userId, kind: "charge" } })).toBe(0);
  });

  it("replays a stream for a repeated Idempotency-Key with one upstream call and one charge", async () => {
    const { userId, key } = await accountWith("responses-idem@example.com", 1_000_000_000n);
    const send = () =>
      fetch(`${gw.url}/api/v1/responses`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": "responses-once" },
        body: JSON.stringify({ model: "test/responses", input: "Hello", stream: true }),
      });
    const before = gw.fake.stats().total;
    const first = await (await send()).text();
    const second = await send();
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(first);
    expect(first).toContain("event: response.completed");
    expect(gw.fake.stats().total - before).toBe(1);
    expect(await db.ledgerEntry.count({ where: { userId, kind: "charge" } })).toBe(1);
  });

  it("fails over from a broken Chat upstream to a Responses one, and records both attempts", async () => {
    const { data, response: raw } = await client.responses
      .create({
        model: "test/responses-mixed",
        input: "Hi",
        provider: { routing: { type: "order", providers: ["broken", "responses-native"] } },
      } as OpenAI.Responses.ResponseCreateParamsNonStreaming)
      .withResponse();
    expect(data.output_text).toMatch(/lorem/);
    expect(raw.headers.get("x-switchyard-provider")).toBe("responses-native");
    const record = await generation(raw.headers.get("x-request-id")!);
    expect((record.attempts as Json[]).map((a) => a.provider ?? a.providerSlug)).toEqual(["broken", "responses-native"]);
  });

  it("a Responses upstream cut mid-stream ends in an error the SDK raises, and the record says so", async () => {
    const stream = client.responses.stream({ model: "test/responses-midcut", input: "Hello" });
    const types: string[] = [];
    stream.on("event", (event) => types.push(event.type));
    await expect(stream.finalResponse()).rejects.toThrow();
    expect(types[0]).toBe("response.created");
  });
});

describe("Chat and Anthropic clients on a Responses-protocol model", () => {
  it("serves chat.completions, JSON and streamed, with tool calls and usage", async () => {
    const { data: completion, response: raw } = await client.chat.completions
      .create({
        model: "test/responses-cached",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hello" },
        ],
      })
      .withResponse();
    expect(raw.headers.get("x-switchyard-provider")).toBe("responses-cached");
    expect(completion.choices[0].message.content).toMatch(/lorem/);
    expect(completion.usage).toMatchObject({ prompt_tokens_details: { cached_tokens: 40 }, completion_tokens_details: { reasoning_tokens: 5 } });
    expect(lastUpstreamBody("responses-cached")).toMatchObject({
      instructions: "Be brief.",
      input: [{ type: "message", role: "user", content: "Hello" }],
      store: false,
    });
    expect(await generation(raw.headers.get("x-request-id")!)).toMatchObject({ api: "chat.completions", provider: "responses-cached" });

    const stream = client.chat.completions.stream({
      model: "test/responses",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [
        { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
      ],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0].finish_reason).toBe("tool_calls");
    const call = final.choices[0].message.tool_calls?.[0];
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual({ city: "test" });
  });

  it("serves Anthropic messages through the Chat hub, JSON and streamed", async () => {
    const anthropic = new Anthropic({ baseURL: `${gw.url}/api/anthropic`, apiKey: gw.key, maxRetries: 0 });
    const message = await anthropic.messages.create({
      model: "test/responses",
      max_tokens: 100,
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(message.content[0]).toMatchObject({ type: "text", text: expect.stringMatching(/lorem/) });
    const streamed = await anthropic.messages
      .stream({ model: "test/responses", max_tokens: 100, messages: [{ role: "user", content: "Hello" }] })
      .finalMessage();
    expect(streamed.stop_reason).toBe("end_turn");
    expect(streamed.usage.output_tokens).toBeGreaterThan(0);
  });
});

describe("bad requests: 400 naming the field, no upstream call, no charge", () => {
  it.each([
    ["an unknown input item type", { input: [{ type: "telepathy" }] }, "input[0].type"],
    ["a function_call_output without its call", { input: [{ type: "function_call_output", call_id: "call_x", output: "x" }] }, "input[0].call_id"],
    ["an unknown content part", { input: [{ role: "user", content: [{ type: "input_video", url: "x" }] }] }, "input[0].content[0].type"],
    ["max_output_tokens below 16", { input: "x", max_output_tokens: 4 }, "max_output_tokens"],
    ["no input", {}, "input"],
  ])("%s", async (_name, body, param) => {
    const before = gw.fake.stats().total;
    const retrying = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: gw.key, maxRetries: 2 });
    const call = retrying.responses.create({ model: "test/chat", ...body } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    await expect(call).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(call).rejects.toMatchObject({ status: 400, type: "invalid_params", param });
    // x-should-retry: false kept the client from retrying; nothing reached an upstream.
    expect(gw.fake.stats().total).toBe(before);
  });

  it("answers an unknown previous_response_id with OpenAI's 404, reaching no upstream (stored-responses.test.ts covers the rest)", async () => {
    const before = gw.fake.stats().total;
    const retrying = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: gw.key, maxRetries: 2 });
    const call = retrying.responses.create({ model: "test/chat", input: "x", previous_response_id: "resp_123" });
    await expect(call).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(call).rejects.toMatchObject({
      status: 404,
      param: "previous_response_id",
      error: { message: "Previous response with id 'resp_123' not found." },
    });
    expect(gw.fake.stats().total).toBe(before);
  });

  it("answers an unknown model with 404 and a bad key with 401, in OpenAI's shape", async () => {
    await expect(client.responses.create({ model: "test/unknown", input: "x" })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const anonymous = new OpenAI({ baseURL: `${gw.url}/api/v1`, apiKey: "sk-sy-v1-wrong", maxRetries: 0 });
    await expect(anonymous.responses.create({ model: "test/chat", input: "x" })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
