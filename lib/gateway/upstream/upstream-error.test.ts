import { describe, expect, it } from "vitest";
import { isClientFault, isProtocolErrorBody, statusForErrorEvent } from "./upstream-error";

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

  it("maps Google's status names (a Gemini stream's error object) the same way", () => {
    const google = (code: number, status: string) => JSON.stringify({ error: { code, message: "m", status } });
    expect(statusForErrorEvent(google(429, "RESOURCE_EXHAUSTED"))).toBe(429);
    expect(statusForErrorEvent(google(503, "UNAVAILABLE"))).toBe(503);
    expect(statusForErrorEvent(google(400, "INVALID_ARGUMENT"))).toBe(400);
    expect(statusForErrorEvent(google(504, "DEADLINE_EXCEEDED"))).toBe(504);
    expect(statusForErrorEvent(google(500, "INTERNAL"))).toBe(502);
    expect(statusForErrorEvent(google(403, "PERMISSION_DENIED"))).toBe(502);
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
      for (const body of ["", "<html>502</html>", "Redirecting to /elsewhere", '{"ok":true}', '{"error":"text"}', '{"error":{"code":500}}'])
        expect(isProtocolErrorBody(protocol, body)).toBe(false);
    }
  });
});

describe("isClientFault", () => {
  const google = (status: string, reason?: string) =>
    JSON.stringify({
      error: { code: 400, message: "m", status, ...(reason ? { details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason }] } : {}) },
    });

  it("takes a Gemini 400 about the request as the client's, one about the gateway's key or project as the provider's", () => {
    expect(isClientFault("google-gemini", google("INVALID_ARGUMENT"))).toBe(true);
    expect(isClientFault("google-gemini", google("INVALID_ARGUMENT", "API_KEY_INVALID"))).toBe(false);
    expect(isClientFault("google-gemini", google("FAILED_PRECONDITION"))).toBe(false);
    expect(isClientFault("google-gemini", "not json")).toBe(true);
  });

  it("leaves the other protocols' 400s to the client", () => {
    expect(isClientFault("openai-chat", google("FAILED_PRECONDITION"))).toBe(true);
    expect(isClientFault("anthropic-messages", google("INVALID_ARGUMENT", "API_KEY_INVALID"))).toBe(true);
  });
});

describe("isProtocolErrorBody (Google)", () => {
  it("accepts Google's error shape for a Gemini client only", () => {
    const google = JSON.stringify({ error: { code: 429, message: "m", status: "RESOURCE_EXHAUSTED" } });
    expect(isProtocolErrorBody("google-gemini", google)).toBe(true);
    expect(isProtocolErrorBody("google-gemini", JSON.stringify({ error: { message: "m", type: "server_error" } }))).toBe(false);
    expect(isProtocolErrorBody("anthropic-messages", google)).toBe(false);
  });
});
