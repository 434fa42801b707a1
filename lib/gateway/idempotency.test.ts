import { describe, expect, it } from "vitest";
import { GatewayError } from "./errors.ts";
import { answerBytes, type Answer, type StreamBody } from "./exchange.ts";
import { idempotencyRequestHash, IdempotencySession, openIdempotency, readIdempotencyKey } from "./idempotency.ts";
import type { IdempotencyRecordView, IdempotencyStore, StoredAnswer } from "./ports/gateway-deps.ts";

/** One account's records in memory, with the store's ownership rules; `completing` can hold complete() open. */
function memoryStore() {
  const records = new Map<string, IdempotencyRecordView>();
  const calls: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  const store: IdempotencyStore = {
    async claim({ key, requestHash, generationId }) {
      const record = records.get(key);
      if (record) return { claimed: false, record };
      records.set(key, { requestHash, state: "running", generationId, answer: null });
      return { claimed: true };
    },
    async renew() {
      return true;
    },
    async complete({ key, generationId, answer }) {
      calls.push(`complete:${generationId}`);
      await gate;
      const record = records.get(key);
      if (record?.generationId === generationId && record.state === "running") records.set(key, { ...record, state: "completed", answer });
    },
    async release({ key, generationId }) {
      calls.push(`release:${generationId}`);
      if (records.get(key)?.generationId === generationId && records.get(key)?.state === "running") records.delete(key);
    },
  };
  return { store, records, calls, holdCompletion: (until: Promise<void>) => (gate = until) };
}

const request = (key: string | null) => new Request("http://gw/x", { method: "POST", headers: key === null ? {} : { "idempotency-key": key } });
const body = new TextEncoder().encode('{"model":"m"}');

async function open(store: IdempotencyStore, key: string, generationId: string, maxBytes = 1024) {
  return openIdempotency(store, { request: request(key), api: "chat", userId: "u", body, generationId, now: () => 0, maxBytes });
}

describe("Idempotency-Key header", () => {
  it("is trimmed; empty, longer than 255 or non-printable keys are a 400 naming the header", () => {
    expect(readIdempotencyKey(request(null))).toBeNull();
    expect(readIdempotencyKey(request("  abc  "))).toBe("abc");
    expect(readIdempotencyKey(request("k".repeat(255)))).toHaveLength(255);
    for (const bad of ["", "k".repeat(256), "caf\u00e9", "a\tb"]) {
      expect(() => readIdempotencyKey(new Request("http://gw/x", { headers: [["idempotency-key", bad]] }))).toThrow(
        expect.objectContaining({ status: 400, param: "Idempotency-Key" }),
      );
    }
  });

  it("hashes the surface with the body, so the same bytes on the other surface are another request", () => {
    expect(idempotencyRequestHash("chat", body)).toBe(idempotencyRequestHash("chat", Uint8Array.from(body)));
    expect(idempotencyRequestHash("chat", body)).not.toBe(idempotencyRequestHash("messages", body));
  });
});

describe("an Idempotency-Key session", () => {
  it("keeps a served JSON answer before it leaves; a retry gets it with Idempotent-Replayed, another body a 422", async () => {
    const { store } = memoryStore();
    const session = (await open(store, "k", "gen_1")) as IdempotencySession;
    session.settled(true);
    const sent = await session.finish({
      status: 200,
      headers: { "content-type": "application/json", "x-request-id": "gen_1", "x-ratelimit-remaining-requests": "4" },
      body: '{"ok":1}',
    });
    expect((await answerBytes(sent)).toString()).toBe('{"ok":1}');
    const replay = (await open(store, "k", "gen_2")) as Answer;
    expect(replay.status).toBe(200);
    expect(replay.headers).toEqual({ "content-type": "application/json", "x-request-id": "gen_1", "idempotent-replayed": "true" });
    expect((await answerBytes(replay)).toString()).toBe('{"ok":1}');
    await expect(
      openIdempotency(store, { request: request("k"), api: "chat", userId: "u", body: new Uint8Array([1]), generationId: "gen_3", now: () => 0 }),
    ).rejects.toMatchObject({ status: 422, type: "idempotency_key_reused" });
  });

  it("answers 409 while the claim runs, and releases it when nothing was served", async () => {
    const { store, records } = memoryStore();
    const session = (await open(store, "k", "gen_1")) as IdempotencySession;
    await expect(open(store, "k", "gen_2")).rejects.toMatchObject({
      status: 409,
      type: "idempotency_request_in_progress",
      retryable: true,
      headers: { "retry-after": "1" },
    });
    const refused = await session.finish({ status: 429, headers: {}, body: "{}" });
    expect(refused.status).toBe(429);
    expect(records.size).toBe(0);
  });

  it("holds a stream's end until its answer is kept, then replays the same SSE text", async () => {
    const { store, records, holdCompletion } = memoryStore();
    let allowCompletion!: () => void;
    holdCompletion(new Promise((resolve) => (allowCompletion = resolve)));
    const session = (await open(store, "k", "gen_1")) as IdempotencySession;
    const sse = ["data: 1\n\n", "data: [DONE]\n\n"];
    const source: StreamBody = {
      start(sink) {
        for (const chunk of sse) sink.write(chunk);
        session.settled(true);
        sink.end();
      },
      cancel: () => undefined,
    };
    const sent = await session.finish({ status: 200, headers: { "content-type": "text/event-stream" }, body: source });
    let text = "";
    let ended = false;
    const end = new Promise<void>((resolve) =>
      (sent.body as StreamBody).start({
        write: (chunk) => ((text += chunk), true),
        drained: async () => undefined,
        end: () => {
          ended = true;
          resolve();
        },
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false);
    expect(records.get("k")?.state).toBe("running");
    allowCompletion();
    await end;
    expect(records.get("k")).toMatchObject({ state: "completed", answer: { status: 200, headers: { "content-type": "text/event-stream" } } });
    expect(new TextDecoder().decode((records.get("k")!.answer as StoredAnswer).body!)).toBe(text);
  });

  it("releases the claim of a stream the client left, even after the relay had finished", async () => {
    const { store, records } = memoryStore();
    const session = (await open(store, "k", "gen_1")) as IdempotencySession;
    let cancelled = false;
    const source: StreamBody = {
      start(sink) {
        sink.write("data: 1\n\n");
        session.settled(true);
      },
      cancel() {
        cancelled = true;
      },
    };
    const sent = (await session.finish({ status: 200, headers: { "content-type": "text/event-stream" }, body: source })).body as StreamBody;
    sent.start({ write: () => true, drained: async () => undefined, end: () => undefined });
    sent.cancel();
    expect(cancelled).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(records.size).toBe(0);
  });

  it("keeps an answer over the cap as completed without a body: a retry gets a 409 naming the generation", async () => {
    const { store } = memoryStore();
    const session = (await open(store, "k", "gen_big", 4)) as IdempotencySession;
    session.settled(true);
    expect((await answerBytes(await session.finish({ status: 200, headers: {}, body: "12345" }))).toString()).toBe("12345");
    const retry = open(store, "k", "gen_2");
    await expect(retry).rejects.toBeInstanceOf(GatewayError);
    await expect(retry).rejects.toMatchObject({
      status: 409,
      type: "idempotency_answer_not_stored",
      retryable: false,
      message: expect.stringContaining("gen_big"),
    });
  });
});
