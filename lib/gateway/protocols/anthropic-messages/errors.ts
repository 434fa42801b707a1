/** GatewayError → Anthropic's error shape and types (PROTOCOLS.md). */
import type { GatewayError } from "../../errors.ts";

export function anthropicErrorType(error: GatewayError): string {
  if (error.type === "reject_no_credit") return "billing_error";
  if (error.type === "provider_error" && error.status === 529) return "overloaded_error";
  switch (error.status) {
    case 400:
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

export function anthropicErrorResponse(error: GatewayError, headers: Record<string, string> = {}): Response {
  const all = new Headers({ "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...error.headers, ...headers });
  if (!error.retryable) all.set("x-should-retry", "false");
  return new Response(JSON.stringify(anthropicErrorBody(error, headers["x-request-id"])), { status: error.status, headers: all });
}

export function anthropicStreamErrorEvent(error: GatewayError): string {
  return `event: error\ndata: ${JSON.stringify(anthropicErrorBody(error))}\n\n`;
}
