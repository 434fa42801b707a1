import { describe, expect, it } from "vitest";
import { isProtocolErrorBody, statusForErrorEvent } from "./upstream-error";

describe("statusForErrorEvent", () => {
  it("maps the error types of Anthropic and OpenAI error events to a fitting 4xx/5xx", () => {
    const anthropic = (type: string) => JSON.stringify({ type: "error", error: { type, message: "m" } });
    expect(statusForErrorEvent(anthropic("overloaded_error"))).toBe(529);
    expect(statusForErrorEvent(anthropic("rate_limit_error"))).toBe(429);
    expect(statusForErrorEvent(anthropic("api_error"))).toBe(502);
    expect(statusForErrorEvent(anthropic("invalid_request_error"))).toBe(400);
    expect(statusForErrorEvent(anthropic("request_too_large"))).toBe(413);
    // The gateway's own provider account is at fault, not the client's key.
    expect(statusForErrorEvent(anthropic("authentication_error"))).toBe(502);
    expect(statusForErrorEvent(anthropic("billing_error"))).toBe(502);
    expect(statusForErrorEvent(JSON.stringify({ error: { message: "m", type: "server_error" } }))).toBe(502);
    expect(statusForErrorEvent(JSON.stringify({ error: { message: "m", type: "requests", code: "rate_limit_exceeded" } }))).toBe(429);
  });

  it("answers 502 for anything it cannot read", () => {
    for (const data of ["", "not json", "[]", "null", '{"error":"boom"}', '{"error":{"type":"mystery"}}']) expect(statusForErrorEvent(data)).toBe(502);
  });
});

describe("isProtocolErrorBody", () => {
  it("accepts each protocol's error shape, and nothing else", () => {
    const openai = JSON.stringify({ error: { message: "m", type: "server_error" } });
    const anthropic = JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "m" } });
    expect(isProtocolErrorBody("openai-chat", openai)).toBe(true);
    expect(isProtocolErrorBody("anthropic-messages", anthropic)).toBe(true);
    expect(isProtocolErrorBody("anthropic-messages", openai)).toBe(false);
    for (const protocol of ["openai-chat", "anthropic-messages"] as const) {
      for (const body of ["", "<html>502</html>", "Redirecting to /elsewhere", '{"ok":true}', '{"error":"text"}', '{"error":{"code":500}}']) expect(isProtocolErrorBody(protocol, body)).toBe(false);
    }
  });
});
