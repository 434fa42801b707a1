/**
 * Streamed calls through the whole pipeline (createGenerationHandler → attempt loop →
 * relayStream) over fake ports: what the client reads, when and what the call is charged,
 * and what a client that leaves does to the upstream read. The fakes repeat those of
 * generation-handler.test.ts (this file's brief allowed no shared support module).
 */
import { describe, expect, it, vi } from "vitest";
import { isStreamBody, type Answer, type ChunkSink, type StreamBody } from "./exchange";
import { createGenerationHandler } from "./generation-handler";
import type { GenerationRecord } from "./ports/gateway-deps";
import { recordingBilling, testDeps, testEndpoint, testModel, testPrincipal } from "./testing/fake-ports";
import { chatSurface } from "./surfaces/chat-surface";
import type { UpstreamTransport } from "./transport/transport";

const ID = "gen_stream";
const URL = "https://alpha.test/v1/chat/completions";
const encoder = new TextEncoder();

const endpoint = testEndpoint("alpha", 1, 2);
const model = testModel([endpoint]);
const principal = testPrincipal();

/** The upstream's answer; `signal` is the one the gateway hands the transport, as undici would honour it. */
type Upstream = (signal: AbortSignal) => AsyncIterable<Uint8Array>;

function harness(upstream: Upstream) {
  const { billing, settles } = recordingBilling();
  const records: GenerationRecord[] = [];
  const sent: Record<string, unknown>[] = [];
  const transport: UpstreamTransport = {
    async send(request, options) {
      if (request.url !== URL) throw new Error(`unexpected upstream ${request.url}`);
      sent.push(JSON.parse(Buffer.from(request.body).toString("utf8")));
      return { status: 200, headers: { "content-type": "text/event-stream" }, body: upstream(options.signal) };
    },
  };
  const deps = testDeps({ model, principal, id: ID, billing, records, transport });
  const handle = createGenerationHandler(chatSurface, deps);
  const call = (body: Record<string, unknown>): Promise<Answer> => {
    const bytes = Buffer.from(JSON.stringify({ model: "acme/m", messages: [{ role: "user", content: "Say hello" }], stream: true, ...body }));
    return handle({
      method: "POST",
      path: "/api/v1/chat/completions",
      headers: new Headers(),
      signal: new AbortController().signal,
      readBody: async () => bytes,
    });
  };
  return { call, settles, records, sent };
}

/** A client: every chunk written, and whether the stream was ended. */
function client() {
  const writes: string[] = [];
  let ended = false;
  const sink: ChunkSink = {
    write: (chunk) => writes.push(chunk) > 0,
    drained: async () => undefined,
    end: () => {
      ended = true;
    },
  };
  const data = () =>
    writes
      .join("")
      .split("\n\n")
      .filter((block) => block.startsWith("data: "))
      .map((block) => block.slice("data: ".length));
  return { sink, writes, data, ended: () => ended };
}

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: "up_1", object: "chat.completion.chunk", created: 1, model: "upstream-name", choices, ...extra })}\n\n`;
const delta = (content: string) => chunk([{ index: 0, delta: { content }, finish_reason: null }]);
const STOP = chunk([{ index: 0, delta: {}, finish_reason: "stop" }]);
const USAGE = chunk([], { usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });

const bytes = (parts: string[]): Upstream =>
  async function* () {
    for (const part of parts) yield encoder.encode(part);
  };

/** Polls often: the relay settles a few microtasks after the end, not 50 ms later. */
const until = (check: () => void) => vi.waitFor(check, { interval: 1, timeout: 2_000 });

function streamOf(answer: Answer): StreamBody {
  expect(answer.status).toBe(200);
  if (!isStreamBody(answer.body)) throw new Error(`expected a stream, got ${String(answer.body)}`);
  return answer.body;
}

describe("a streamed chat call through the pipeline", () => {
  it("relays the deltas and [DONE], then settles once, charging the cost its usage chunk reports", async () => {
    const h = harness(bytes([delta("Hel"), delta("lo"), STOP, USAGE, "data: [DONE]\n\n"]));
    const answer = await h.call({ stream_options: { include_usage: true } });
    expect(answer.headers).toMatchObject({ "content-type": "text/event-stream; charset=utf-8", "x-switchyard-provider": "alpha", "x-request-id": ID });
    const c = client();
    streamOf(answer).start(c.sink);
    await until(() => expect(c.ended()).toBe(true));
    const data = c.data();
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { model: string; choices: { delta: { content?: string } }[]; usage?: { cost: number } });
    expect(chunks.flatMap((ch) => ch.choices.map((choice) => choice.delta.content ?? ""))).toEqual(["Hel", "lo", ""]);
    expect(new Set(chunks.map((ch) => ch.model))).toEqual(new Set(["acme/m"]));
    // The settlement is not awaited by the relay: wait for it.
    await until(() => expect(h.settles).toHaveLength(1));
    const usage = chunks.at(-1)!.usage!;
    // 10 prompt tokens at $1/M + 5 completion tokens at $2/M.
    expect(h.settles[0]).toMatchObject({ reservationId: ID, costNanoUsd: 20_000n });
    expect(usage.cost).toBe(0.00002);
    expect(usage.cost).toBe(Number(h.settles[0].costNanoUsd) / 1e9);
    expect(h.records).toHaveLength(1);
    expect(h.records[0]).toMatchObject({
      status: "success",
      httpStatus: 200,
      streamed: true,
      finishReason: "stop",
      providerSlug: "alpha",
      costNanoUsd: 20_000n,
    });
  });

  it("asks the upstream for usage and bills it even when the client did not ask for it in the stream", async () => {
    const h = harness(bytes([delta("Hello"), STOP, USAGE, "data: [DONE]\n\n"]));
    const c = client();
    streamOf(await h.call({})).start(c.sink);
    await until(() => expect(h.settles).toHaveLength(1));
    expect(h.sent[0].stream_options).toEqual({ include_usage: true });
    expect(c.data().some((d) => d.includes('"usage"'))).toBe(false);
    expect(h.settles[0].costNanoUsd).toBe(20_000n);
  });

  it("ends a stream the upstream cut short with an in-stream error, and bills the estimate of what was relayed", async () => {
    const h = harness(bytes([delta("Hel")]));
    const c = client();
    streamOf(await h.call({})).start(c.sink);
    await until(() => expect(h.settles).toHaveLength(1));
    expect(c.ended()).toBe(true);
    expect(JSON.parse(c.data().at(-1)!)).toMatchObject({ error: { code: "502", type: "provider_error" } });
    // No usage came: the prompt estimate ("Say hello" + 16 per message, 4 chars a token: 7) at
    // $1/M and the relayed text (3 chars: 1 token) at $2/M.
    expect(h.settles[0].costNanoUsd).toBe(9_000n);
    expect(h.records[0]).toMatchObject({ status: "error", httpStatus: 502, errorType: "provider_error", costNanoUsd: 9_000n });
  });

  it("reads no further upstream while the client is behind, and resumes once it drains", async () => {
    let yielded = 0;
    const parts = [delta("a"), delta("b"), delta("c"), STOP, USAGE, "data: [DONE]\n\n"];
    const h = harness(async function* () {
      for (const part of parts) {
        yielded++;
        yield encoder.encode(part);
      }
    });
    const c = client();
    let behind = true;
    const waiting: (() => void)[] = [];
    const stream = streamOf(await h.call({}));
    stream.start({ ...c.sink, write: (text) => c.sink.write(text) && !behind, drained: () => new Promise<void>((resolve) => waiting.push(resolve)) });
    await until(() => expect(waiting).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The first event is forwarded before the loop checks the client, so one more is read: no more.
    expect(yielded).toBe(2);
    behind = false;
    waiting.forEach((resolve) => resolve());
    await until(() => expect(h.settles).toHaveLength(1));
    expect(yielded).toBe(parts.length);
    expect(c.ended()).toBe(true);
  });

  it("stops reading the upstream when the client leaves mid-stream, and still settles exactly once", async () => {
    let yielded = 0;
    let closed = false;
    let aborted = false;
    const h = harness((signal) =>
      (async function* () {
        try {
          for (const part of [delta("Hel"), delta("lo")]) {
            yielded++;
            yield encoder.encode(part);
          }
          // The rest never comes on its own: only the gateway's abort ends the read.
          await new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }));
          yielded++;
          yield encoder.encode(STOP);
        } finally {
          aborted = signal.aborted;
          closed = true;
        }
      })(),
    );
    const c = client();
    const stream = streamOf(await h.call({ stream_options: { include_usage: true } }));
    stream.start(c.sink);
    await until(() => expect(c.data().join("")).toContain('"content":"lo"'));
    const written = c.writes.length;
    stream.cancel();
    await until(() => expect(h.settles).toHaveLength(1));
    // Give a second settlement, if there were one, the chance to land.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.settles).toHaveLength(1);
    expect({ yielded, closed, aborted }).toEqual({ yielded: 2, closed: true, aborted: true });
    expect(c.writes).toHaveLength(written);
    expect(c.ended()).toBe(false);
    // Billed for what was relayed: the prompt estimate (7 tokens at $1/M) and "Hello" (5 chars: 2 tokens at $2/M).
    expect(h.settles[0].costNanoUsd).toBe(11_000n);
    expect(h.records).toHaveLength(1);
    expect(h.records[0]).toMatchObject({ status: "aborted", httpStatus: 499, costNanoUsd: 11_000n, providerSlug: "alpha" });
  });
});
