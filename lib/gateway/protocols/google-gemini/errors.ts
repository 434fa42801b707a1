/**
 * GatewayError → Google's error shape, `{"error":{"code":404,"message":"…","status":"NOT_FOUND"}}`
 * (google.rpc.Status as JSON: a numeric code and the canonical status name).
 */
import type { GatewayError } from "../../errors.ts";
import type { Answer } from "../../exchange.ts";

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  402: "FAILED_PRECONDITION",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  405: "UNIMPLEMENTED",
  409: "ABORTED",
  413: "INVALID_ARGUMENT",
  422: "INVALID_ARGUMENT",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

export function googleErrorStatus(status: number): string {
  return STATUS_NAMES[status] ?? (status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT");
}

export function googleErrorBody(error: GatewayError) {
  return { error: { code: error.status, message: error.message, status: googleErrorStatus(error.status) } };
}

export function googleErrorAnswer(error: GatewayError, headers: Record<string, string> = {}): Answer {
  const all: Record<string, string> = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...error.headers, ...headers };
  if (!error.retryable) all["x-should-retry"] = "false";
  return { status: error.status, headers: all, body: JSON.stringify(googleErrorBody(error)) };
}

/**
 * A failure after the first byte of an `alt=sse` stream: Google's streams end with an SSE
 * `data:` line holding the error object, which @google/genai throws as an ApiError.
 */
export function googleStreamErrorEvent(error: GatewayError): string {
  return `data: ${JSON.stringify(googleErrorBody(error))}\n\n`;
}
