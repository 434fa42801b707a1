/**
 * The generation pipeline in process, over fake ports: routing, holds, charges and
 * records are checked in milliseconds, with no server, database or socket. Every fake is
 * here (the brief of this file forbids a shared support module), and stream-relay.test.ts
 * keeps its own copy.
 */
import { describe, expect, it } from "vitest";
import type { Exchange } from "./exchange";
import { createGenerationHandler } from "./generation-handler";
import { formatNanoUsd } from "./metering/money";
import type { GenerationRecord, IdempotencyRecordView, IdempotencyStore } from "./ports/gateway-deps";
import type { RateCounter } from "./ports/rate-counter";
import { recordingBilling, TEST_NOW, testDeps, testEndpoint, testModel, testPrincipal } from "./testing/fake-ports";
import { chatSurface } from "./surfaces/chat-surface";
import type { UpstreamTransport } from "./transport/transport";

const ID = "gen_test";

// beta is three times dearer than alpha, so a charge names the provider that served it.
const model = testModel([testEndpoint("alpha", 1, 2), testEndpoint("beta", 3, 6)]);
// A token budget, so the rate-limit settlement is exercised too.
const principal = testPrincipal({ tpmLimit: 1_000_000 });

type Canned = { status: number; body: string };
const encoder = new TextEncoder();

/** Every port the core needs, as fakes that remember what they were asked; `log` orders the calls across ports. */
function harness(answers: Record<string, Canned>, options: { refuseHold?: boolean } = {}) {
  const log: string[] = [];
  const { billing, reserves, settles } = recordingBilling({ refuseHold: options.refuseHold, log, available: 5_000n });
  const records: GenerationRecord[] = [];
  const sent: { url: string; headers: Record<string, string>; body: Record<string, unknown> }[] = [];
  const transport: UpstreamTransport = {
    async send(request) {
      log.push(`send ${request.url}`);
      sent.push({ url: request.url, headers: request.headers, body: JSON.parse(Buffer.from(request.body).toString("utf8")) });
      const answer = answers[request.url];
      if (!answer) throw new Error(`no canned answer for ${request.url}`);
      const body = (async function* () {
        yield encoder.encode(answer.body);
      })();
      return { status: answer.status, headers: { "content-type": "application/json" }, body };
    },
  };
  const windows = new Map<string, number>();
  const counter: RateCounter = {
    async add(key, amount) {
      windows.set(key, (windows.get(key) ?? 0) + amount);
      return { total: windows.get(key)!, resetInMs: 60_000 };
    },
    async remove(key, amount) {
      windows.set(key, (windows.get(key) ?? 0) - amount);
    },
  };
  const kept = new Map<string, IdempotencyRecordView>();
  const idempotency: IdempotencyStore = {
    async claim({ key, requestHash, generationId }) {
      const record = kept.get(key);
      if (record) return { claimed: false, record };
      kept.set(key, { requestHash, state: "running", generationId, answer: null });
      return { claimed: true };
    },
    renew: async () => true,
    async complete({ key, answer }) {
      kept.set(key, { ...kept.get(key)!, state: "completed", answer });
    },
    async release({ key }) {
      kept.delete(key);
    },
  };
  const deps = testDeps({
    model,
    principal,
    id: ID,
    billing,
    records,
    transport,
    rateLimits: { counter, settings: async () => ({ account: { rpm: null, tpm: null }, families: [] }) },
    idempotency,
  });
  return { handle: createGenerationHandler(chatSurface, deps), log, reserves, settles, records, sent, windows };
}

function exchange(body: unknown, headers: Record<string, string> = {}): Exchange {
  const bytes = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  return {
    method: "POST",
    path: "/api/v1/chat/completions",
    headers: new Headers({ authorization: "Bearer sk-test", ...headers }),
    signal: new AbortController().signal,
    readBody: async () => bytes,
  };
}

// An explicit provider order: the default latency strategy explores endpoints by a module-wide turn counter.
const request = {
  model: "acme/m",
  messages: [{ role: "user", content: "Say hello" }],
  max_tokens: 100,
  provider: { routing: { type: "order", providers: ["alpha", "beta"] } },
};

const completion = JSON.stringify({
  id: "up_1",
  object: "chat.completion",
  created: 1,
  model: "upstream-name",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
});
const ok: Canned = { status: 200, body: completion };
const ALPHA = "https://alpha.test/v1/chat/completions";
const BETA = "https://beta.test/v1/chat/completions";

type OpenAiAnswer = {
  model?: string;
  usage?: { prompt_tokens: number; completion_tokens: number; cost: number };
  error?: { code: string; type: string; message: string; param: string | null };
};
const json = (body: unknown) => JSON.parse(String(body)) as OpenAiAnswer;

describe("createGenerationHandler over fake ports (chat surface)", () => {
  it("answers a JSON call, charges once what it reports as usage.cost, and records the served provider", async () => {
    const h = harness({ [ALPHA]: ok });
    const answer = await h.handle(exchange(request));
    expect(answer.status).toBe(200);
    const body = json(answer.body);
    // 10 prompt tokens at $1/M + 5 completion tokens at $2/M = 20,000 nano-USD.
    expect(h.settles).toHaveLength(1);
    expect(h.settles[0]).toMatchObject({ reservationId: ID, costNanoUsd: 20_000n, idempotencyKey: `charge:${ID}`, generationId: ID });
    expect(body.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5, cost: 0.00002 });
    expect(body.usage?.cost).toBe(Number(h.settles[0].costNanoUsd) / 1e9);
    expect(body.model).toBe("acme/m");
    expect(answer.headers).toMatchObject({ "x-switchyard-provider": "alpha", "x-switchyard-cost": "0.00002", "x-request-id": ID });
    // The hold came before the upstream call, and covers the dearer candidate's whole output cap (100 tokens at $6/M).
    expect(h.log).toEqual(["reserve", `send ${ALPHA}`, "settle"]);
    expect(h.reserves).toEqual([{ id: ID, userId: "user_1", apiKeyId: "key_1", membershipId: null, amountNanoUsd: expect.any(BigInt) }]);
    expect(h.reserves[0].amountNanoUsd).toBeGreaterThanOrEqual(600_000n);
    expect(h.reserves[0].amountNanoUsd).toBeGreaterThanOrEqual(h.settles[0].costNanoUsd);
    // The upstream got its own model name and credential, and none of the gateway's routing fields.
    expect(h.sent[0].headers.authorization).toBe("Bearer secret-alpha");
    expect(h.sent[0].body).toEqual({ model: "alpha-m", messages: request.messages, max_tokens: 100 });
    expect(h.records).toHaveLength(1);
    expect(h.records[0]).toMatchObject({ id: ID, providerSlug: "alpha", endpointId: "e_alpha", status: "success", httpStatus: 200, costNanoUsd: 20_000n });
    expect(h.records[0]).toMatchObject({ promptTokens: 10, completionTokens: 5, finishReason: "stop", streamed: false, modelSlug: "acme/m" });
    expect(h.settles[0].record).toBe(h.records[0]);
    // The token budget keeps what was used, not the reservation.
    expect(h.windows.get("tok:key:key_1")).toBe(15);
  });

  it("fails over from a 503 to the next provider, charges once at the server's prices and lists both attempts", async () => {
    const h = harness({ [ALPHA]: { status: 503, body: '{"error":{"message":"overloaded"}}' }, [BETA]: ok });
    const answer = await h.handle(exchange(request));
    expect(answer.status).toBe(200);
    expect(answer.headers["x-switchyard-provider"]).toBe("beta");
    expect(h.log).toEqual(["reserve", `send ${ALPHA}`, `send ${BETA}`, "settle"]);
    // 10 × $3/M + 5 × $6/M.
    expect(h.settles.map((s) => s.costNanoUsd)).toEqual([60_000n]);
    expect(json(answer.body).usage?.cost).toBe(0.00006);
    expect(h.records).toHaveLength(1);
    expect(h.records[0].providerSlug).toBe("beta");
    const startedAt = new Date(TEST_NOW);
    expect(h.records[0].attempts).toEqual([
      {
        seq: 1,
        providerSlug: "alpha",
        endpointId: "e_alpha",
        status: "error",
        httpStatus: 503,
        errorType: "provider_error",
        errorMessage: "upstream answered 503",
        durationMs: 0,
        served: false,
        startedAt,
      },
      {
        seq: 2,
        providerSlug: "beta",
        endpointId: "e_beta",
        status: "success",
        httpStatus: 200,
        errorType: null,
        errorMessage: null,
        durationMs: 0,
        served: true,
        startedAt,
      },
    ]);
  });

  it("answers 402 in OpenAI's shape when the balance refuses the hold, without calling any provider or charging", async () => {
    const h = harness({ [ALPHA]: ok }, { refuseHold: true });
    const answer = await h.handle(exchange(request));
    expect(answer.status).toBe(402);
    const hold = h.reserves[0].amountNanoUsd;
    expect(json(answer.body)).toEqual({
      error: {
        code: "402",
        type: "reject_no_credit",
        message: `Insufficient balance: this request may cost up to $${formatNanoUsd(hold)} and $0.000005 is available. Top up, or lower max_tokens.`,
        param: null,
      },
    });
    expect(answer.headers["x-should-retry"]).toBe("false");
    expect(h.sent).toEqual([]);
    // Nothing was held, so nothing is settled; the refusal is still on record, at no cost.
    expect(h.settles).toEqual([]);
    expect(h.records).toHaveLength(1);
    expect(h.records[0]).toMatchObject({ status: "error", httpStatus: 402, errorType: "reject_no_credit", costNanoUsd: 0n, providerSlug: null, attempts: [] });
  });

  it("refuses a malformed body with a 400 naming the field, before any hold or upstream call", async () => {
    const h = harness({ [ALPHA]: ok });
    const answer = await h.handle(exchange({ model: "acme/m", messages: "hi" }));
    expect(answer.status).toBe(400);
    expect(json(answer.body).error).toMatchObject({ code: "400", type: "invalid_params", param: "messages" });
    // A field that is there with the wrong type says what it must be, not that it is missing.
    expect(json(answer.body).error?.message).toBe("Parameter messages must be an array");
    const missing = await h.handle(exchange({ model: "acme/m" }));
    expect(json(missing.body).error?.message).toBe("Parameter messages is required");
    expect(h.log).toEqual([]);
    expect(h.records).toEqual([]);
  });

  it("replays a served answer for a retry with the same Idempotency-Key, without a second upstream call or charge", async () => {
    const h = harness({ [ALPHA]: ok });
    const first = await h.handle(exchange(request, { "idempotency-key": "retry-1" }));
    const again = await h.handle(exchange(request, { "idempotency-key": "retry-1" }));
    expect(again.status).toBe(200);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(Buffer.from(again.body as Uint8Array).toString("utf8")).toBe(first.body);
    expect(h.log).toEqual(["reserve", `send ${ALPHA}`, "settle"]);
  });
});
