/** GatewayError → Anthropic's error shape and types (PROTOCOLS.md). */
import type { GatewayError } from "../../errors.ts";
import type { Answer } from "../../exchange.ts";

export function anthropicErrorType(error: GatewayError): string {
  if (error.type === "reject_no_credit") return "billing_error";
  if (error.type === "provider_error" && error.status === 529) return "overloaded_error";
  switch (error.status) {
    case 400:
    case 405:
    case 409:
    case 422:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 529:
      return "overloaded_error";
    default:
      return "api_error";
  }
}

export function anthropicErrorBody(error: GatewayError, requestId?: string) {
  return { type: "error", error: { type: anthropicErrorType(error), message: error.message }, ...(requestId ? { request_id: requestId } : {}) };
}

export function anthropicErrorAnswer(error: GatewayError, headers: Record<string, string> = {}): Answer {
  const all: Record<string, string> = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...error.headers, ...headers };
  if (!error.retryable) all["x-should-retry"] = "false";
  return { status: error.status, headers: all, body: JSON.stringify(anthropicErrorBody(error, headers["x-request-id"])) };
}

export function anthropicStreamErrorEvent(error: GatewayError): string {
  return `event: error\ndata: ${JSON.stringify(anthropicErrorBody(error))}\n\n`;
}
