/**
 * The production door (`npm start`): the generation paths are served on node:http before
 * Next's router (lib/server/node-door.ts), everything else by Next. Responses of the node
 * door carry none of Next's `Vary: rsc, …` header, which is how these tests tell the doors apart.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { poll } from "@/tests/support/poll";

let gw: GatewayFixture;
const viaNext = process.env.SWITCHYARD_FRONT === "next";

beforeAll(async () => {
  gw = await startGatewayFixture({ SHUTDOWN_GRACE_MS: "15000" });
}, 120_000);
afterAll(async () => {
  await gw?.stop();
});

function post(path: string, body: Record<string, unknown>, init: { signal?: AbortSignal } = {}) {
  return fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: init.signal,
  });
}

const eventually = <T>(read: () => Promise<T> | T, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => poll(read, ok, { timeoutMs, intervalMs: 50 });

/** A raw HTTP/1.1 exchange: sends `head` and `body` (no more), returns what the server answered until it closed or `until` matched. */
function rawExchange(head: string, body: string, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(gw.url);
    const socket = connect(Number(port), "127.0.0.1", () => socket.write(head + body));
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (text) => {
      received += text;
      if (until.test(received)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(received));
  });
}

describe.skipIf(viaNext)("the node door", () => {
  it("answers a JSON generation itself, with a known length", async () => {
    const response = await post("/api/v1/chat/completions", { model: "test/chat", messages: [{ role: "user", content: "Hi" }] });
    expect(response.status).toBe(200);
    expect(response.headers.get("vary")).toBeNull();
    const body = (await response.json()) as { choices: { message: { content: string } }[]; usage: { cost: number } };
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(JSON.stringify(body))));
    expect(body.choices[0].message.content.length).toBeGreaterThan(0);
    expect(body.usage.cost).toBeGreaterThan(0);
  });

  it("relays a stream and Anthropic's count_tokens", async () => {
    const response = await post("/api/anthropic/v1/messages", {
      model: "test/claude",
      max_tokens: 50,
      stream: true,
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("vary")).toBeNull();
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text).toContain("event: message_start");
    expect(text.trim().endsWith('data: {"type":"message_stop"}')).toBe(true);
    const count = await post("/api/anthropic/v1/messages/count_tokens?beta=true", {
      model: "test/claude",
      messages: [{ role: "user", content: "Hello there" }],
    });
    expect(count.status).toBe(200);
    expect(count.headers.get("vary")).toBeNull();
    expect(((await count.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
  });

  it("leaves every other path to Next: /api/health, the catalog, a page", async () => {
    const health = await fetch(`${gw.url}/api/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get("vary")).toMatch(/rsc/);
    const models = await fetch(`${gw.url}/api/v1/models`);
    expect(models.status).toBe(200);
    expect(((await models.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    const page = await fetch(`${gw.url}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    // A GET on a generation path is answered by the door itself: a JSON 405 (tests/integration/api-edges.test.ts).
    const wrongMethod = await fetch(`${gw.url}/api/v1/chat/completions`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("vary")).toBeNull();
  });
});

describe("either door", () => {
  it("refuses a body over the limit from its Content-Length, in the protocol's shape, without reading it", async () => {
    // MAX_REQUEST_BYTES is 200,000 in the fixture; 10 MB are announced, 20 bytes sent.
    for (const [path, shape] of [
      ["/api/v1/chat/completions", /"error":\{"code":"413"/],
      ["/api/anthropic/v1/messages", /"type":"error","error":\{"type":"request_too_large"/],
    ] as const) {
      const head = `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${gw.key}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n`;
      const answer = await rawExchange(head, '{"model":"test/chat",', /\r\n\r\n[\s\S]*(\}\}?|\r\n0\r\n\r\n)$/);
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer).toMatch(shape);
    }
  });

  it("aborts the upstream when the client leaves mid-stream, and bills what was produced", async () => {
    const controller = new AbortController();
    const response = await post(
      "/api/v1/chat/completions",
      { model: "test/any", stream: true, messages: [{ role: "user", content: "Hi" }], provider: { routing: { type: "order", providers: ["trickle"] } } },
      { signal: controller.signal },
    );
    const id = response.headers.get("x-request-id")!;
    const reader = response.body!.getReader();
    let received = "";
    while (!received.includes("ipsum")) received += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const stats = await eventually(
      () => gw.fake.stats().byProvider.trickle,
      (s) => s.aborted >= 1 && s.inFlight === 0,
    );
    expect(stats).toMatchObject({ aborted: 1, inFlight: 0 });
    const record = await eventually(
      async () =>
        (await (await fetch(`${gw.url}/api/v1/generation?id=${id}`, { headers: { authorization: `Bearer ${gw.key}` } })).json()) as {
          status?: string;
          usage: number;
          nativeTokens: { completion_tokens: number };
        },
      (r) => r.status === "aborted",
    );
    expect(record.status).toBe("aborted");
    expect(record.nativeTokens.completion_tokens).toBeGreaterThan(0);
    expect(record.nativeTokens.completion_tokens).toBeLessThan(400);
    expect(Number(record.usage)).toBeGreaterThan(0);
  });

  it("drains a stream in flight on SIGTERM, then exits 0", async () => {
    const response = await post("/api/v1/chat/completions", {
      model: "test/any",
      stream: true,
      messages: [{ role: "user", content: "Hi" }],
      provider: { routing: { type: "order", providers: ["pausing"] } },
    });
    expect(response.status).toBe(200);
    const text = response.text();
    const exitCode = await gw.server.stop();
    expect((await text).trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(exitCode).toBe(0);
    expect(gw.server.output()).toMatch(/SIGTERM: finishing 1 request\(s\) in flight/);
  });
});
