import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import type { Answer, StreamBody } from "../gateway/exchange";
import { accessNoteOf, createAccessLog, currentAccessNote, dispatchWithAccessNote, formatAccessEntry, isApiPath, type AccessEntry } from "./access-log";
import { webDoor } from "./web-door";
import { accessLogSettings } from "./access-log-settings";

const entry: AccessEntry = {
  time: "2026-12-06T04:00:00.000Z",
  method: "POST",
  path: "/api/v1/chat/completions",
  status: 200,
  model: "demo/chat",
  provider: "demo-openai",
  durationMs: 12.3,
  ttftMs: 4.5,
  requestId: "gen_abc",
  keyId: "key_1",
};

/** A request and response as node:http hands them to the server, enough for the observer. */
function exchange(url: string, method = "GET") {
  const req = Object.assign(new EventEmitter(), { url, method }) as unknown as IncomingMessage;
  const headers: Record<string, string> = {};
  const res = Object.assign(new EventEmitter(), {
    headersSent: true,
    statusCode: 200,
    getHeader: (name: string) => headers[name],
  }) as unknown as ServerResponse & EventEmitter;
  return { req, res, headers };
}

async function flushed(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe("access log lines", () => {
  it("formats JSON with snake_case fields and nulls for what is unknown", () => {
    expect(JSON.parse(formatAccessEntry({ ...entry, model: null, ttftMs: null }, "json"))).toEqual({
      time: entry.time,
      level: "info",
      msg: "access",
      method: "POST",
      path: "/api/v1/chat/completions",
      status: 200,
      model: null,
      provider: "demo-openai",
      duration_ms: 12.3,
      ttft_ms: null,
      request_id: "gen_abc",
      key_id: "key_1",
    });
  });

  it("formats text with a dash for what is unknown", () => {
    expect(formatAccessEntry(entry, "text")).toBe(
      "2026-12-06T04:00:00.000Z access POST /api/v1/chat/completions 200 12.3ms ttft=4.5ms model=demo/chat provider=demo-openai request_id=gen_abc key_id=key_1",
    );
    expect(formatAccessEntry({ ...entry, ttftMs: null, keyId: null }, "text")).toMatch(/ttft=- .* key_id=-$/);
  });

  it("knows the API surfaces from the rest", () => {
    expect(["/api/v1", "/api/v1/models", "/api/anthropic/v1/messages", "/api/vertex-ai/v1beta/models/x:generateContent"].every(isApiPath)).toBe(true);
    expect(["/api/console/keys", "/api/health", "/api/auth/session", "/api/v1x", "/dashboard", "/"].some(isApiPath)).toBe(false);
  });
});

describe("LOG_FORMAT and LOG_LEVEL", () => {
  it("default to text at info: API requests only", () => {
    expect(accessLogSettings({})).toEqual({ format: "text", api: true, other: false });
    expect(accessLogSettings({ LOG_FORMAT: "JSON", LOG_LEVEL: "debug" })).toEqual({ format: "json", api: true, other: true });
    expect(accessLogSettings({ LOG_LEVEL: "warn" })).toEqual({ format: "text", api: false, other: false });
  });

  it("refuse other values, naming the variable", () => {
    expect(() => accessLogSettings({ LOG_FORMAT: "xml" })).toThrow('LOG_FORMAT must be text or json, got "xml"');
    expect(() => accessLogSettings({ LOG_LEVEL: "verbose" })).toThrow('LOG_LEVEL must be debug, info, warn or error, got "verbose"');
  });
});

describe("the observer", () => {
  it("writes one line per API request when its answer closes, without the query string, batching a turn's lines into one write", async () => {
    const writes: string[] = [];
    const observe = createAccessLog(accessLogSettings({ LOG_FORMAT: "json" }), (text) => writes.push(text))!;
    const a = exchange("/api/v1/models?key=secret-in-query");
    const b = exchange("/api/anthropic/v1/messages", "POST");
    observe(a.req, a.res);
    observe(b.req, b.res);
    const note = accessNoteOf(b.req)!;
    note.keyId = "key_9";
    note.model = "demo/chat";
    b.headers["x-request-id"] = "gen_1";
    b.headers["x-switchyard-provider"] = "demo-anthropic";
    a.res.emit("close");
    b.res.emit("close");
    await flushed();
    expect(writes).toHaveLength(1);
    const lines = writes[0]
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toMatchObject([
      { method: "GET", path: "/api/v1/models", status: 200, key_id: null },
      { method: "POST", path: "/api/anthropic/v1/messages", model: "demo/chat", provider: "demo-anthropic", request_id: "gen_1", key_id: "key_9" },
    ]);
    expect(writes[0]).not.toContain("secret-in-query");
  });

  it("logs console pages only at debug, and a client that left before an answer as 499", async () => {
    const writes: string[] = [];
    const info = createAccessLog(accessLogSettings({}), (text) => writes.push(text))!;
    const page = exchange("/dashboard");
    info(page.req, page.res);
    expect(accessNoteOf(page.req)).toBeUndefined();
    page.res.emit("close");
    await flushed();
    expect(writes).toEqual([]);

    const debug = createAccessLog(accessLogSettings({ LOG_LEVEL: "debug" }), (text) => writes.push(text))!;
    const left = exchange("/dashboard");
    (left.res as unknown as { headersSent: boolean }).headersSent = false;
    debug(left.req, left.res);
    left.res.emit("close");
    await flushed();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/ access GET \/dashboard 499 /);
  });

  it("gives a request Next serves (the route-handler door) its key, model and first-byte time through the async context", async () => {
    const writes: string[] = [];
    const observe = createAccessLog(accessLogSettings({ LOG_FORMAT: "json" }), (text) => writes.push(text))!;
    const { req, res, headers } = exchange("/api/v1/chat/completions", "POST");
    observe(req, res);
    // The core fills the exchange's note as it does behind the node door, then streams.
    const handler = webDoor(async (exchange): Promise<Answer> => {
      Object.assign(exchange.note!, { keyId: "key_7", model: "demo/chat" });
      const body: StreamBody = {
        start(sink) {
          setTimeout(() => (sink.write("data: {}\n\n"), sink.end()), 5);
        },
        cancel() {},
      };
      return { status: 200, headers: { "x-request-id": "gen_7" }, body };
    });
    // Outside the dispatch there is no note: `next dev` and unlogged requests get none.
    expect(currentAccessNote()).toBeUndefined();
    let answered: Promise<Response> | undefined;
    dispatchWithAccessNote(req, () => void (answered = handler(new Request("http://gateway.test/api/v1/chat/completions", { method: "POST", body: "{}" }))));
    const response = await answered!;
    await response.text();
    headers["x-request-id"] = response.headers.get("x-request-id")!;
    res.emit("close");
    await flushed();
    const line = JSON.parse(writes.join("").trim());
    expect(line).toMatchObject({ method: "POST", path: "/api/v1/chat/completions", model: "demo/chat", key_id: "key_7", request_id: "gen_7" });
    expect(line.ttft_ms).toBeGreaterThan(0);
    expect(line.ttft_ms).toBeLessThanOrEqual(line.duration_ms);
  });

  it("is off above info", () => {
    expect(createAccessLog(accessLogSettings({ LOG_LEVEL: "error" }))).toBeUndefined();
  });
});
