/**
 * What an upstream failure means to a client: the HTTP status it should get and whether
 * the upstream's own body is a proper error in a protocol. A failure always reaches a
 * client as a 4xx/5xx, even when the upstream said 200 (an error event, a body that is
 * not JSON) or 3xx (a redirect the gateway does not follow).
 */
import type { WireProtocol } from "../providers/types.ts";

/**
 * Statuses for the error types both protocols put in error bodies and events. Errors
 * about the gateway's own provider account (authentication, billing, permission) are a
 * bad gateway to the client: its request and its key are fine.
 */
const STATUS_BY_ERROR_TYPE: Record<string, number> = {
  // Anthropic
  invalid_request_error: 400,
  request_too_large: 413,
  not_found_error: 404,
  rate_limit_error: 429,
  overloaded_error: 529,
  timeout_error: 504,
  api_error: 502,
  authentication_error: 502,
  permission_error: 502,
  billing_error: 502,
  // OpenAI
  rate_limit_exceeded: 429,
  insufficient_quota: 502,
  server_error: 502,
};

type ErrorPayload = { type?: unknown; code?: unknown; error?: unknown };

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The client status for an error an upstream sent inside a 200 (a stream's first event): 502 unless its type says better. */
export function statusForErrorEvent(data: string): number {
  const parsed = parseObject(data) as ErrorPayload | null;
  // OpenAI Responses' error event has its code at the top: {"type":"error","code":"server_error",…}.
  const error = (parsed?.error ?? parsed) as ErrorPayload | null;
  for (const key of [error?.type, error?.code]) {
    if (typeof key === "string" && STATUS_BY_ERROR_TYPE[key]) return STATUS_BY_ERROR_TYPE[key];
  }
  return 502;
}

/**
 * Whether `text` is an error body a client of `protocol` can read as one: OpenAI's (Chat and Responses)
 * `{"error":{"message":…}}` or Anthropic's `{"type":"error","error":{"type","message"}}`.
 */
export function isProtocolErrorBody(protocol: WireProtocol, text: string): boolean {
  const parsed = parseObject(text);
  const error = parsed?.error as Record<string, unknown> | undefined;
  if (!error || typeof error !== "object" || typeof error.message !== "string") return false;
  return protocol !== "anthropic-messages" || (parsed!.type === "error" && typeof error.type === "string");
}
