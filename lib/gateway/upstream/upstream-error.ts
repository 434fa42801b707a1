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
  // Google (the canonical google.rpc status names Gemini puts in error.status)
  INVALID_ARGUMENT: 400,
  OUT_OF_RANGE: 400,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  INTERNAL: 502,
  UNKNOWN: 502,
  UNAUTHENTICATED: 502,
  PERMISSION_DENIED: 502,
  FAILED_PRECONDITION: 502,
};

type ErrorPayload = { type?: unknown; code?: unknown; status?: unknown; error?: unknown };

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
  for (const key of [error?.type, error?.code, error?.status]) {
    if (typeof key === "string" && STATUS_BY_ERROR_TYPE[key]) return STATUS_BY_ERROR_TYPE[key];
  }
  return 502;
}

/**
 * Whether `text` is an error body a client of `protocol` can read as one: OpenAI's (Chat and Responses)
 * `{"error":{"message":…}}`, Anthropic's `{"type":"error","error":{"type","message"}}` or
 * Google's `{"error":{"code":400,"message":…,"status":"INVALID_ARGUMENT"}}`.
 */
export function isProtocolErrorBody(protocol: WireProtocol, text: string): boolean {
  const parsed = parseObject(text);
  const error = parsed?.error as Record<string, unknown> | undefined;
  if (!error || typeof error !== "object" || typeof error.message !== "string") return false;
  if (protocol === "google-gemini") return typeof error.code === "number" && typeof error.status === "string";
  return protocol !== "anthropic-messages" || (parsed!.type === "error" && typeof error.type === "string");
}

/** Google's reasons for a 400 that is about the caller's key, not its request (google.rpc.ErrorInfo). */
const GOOGLE_KEY_REASONS = new Set([
  "API_KEY_INVALID",
  "API_KEY_EXPIRED",
  "API_KEY_SERVICE_BLOCKED",
  "API_KEY_HTTP_REFERRER_BLOCKED",
  "API_KEY_IP_ADDRESS_BLOCKED",
]);

/**
 * Whether an upstream's 400/422 is about the client's request (answered as it is, never
 * retried) rather than about the gateway's own provider account. Google answers a bad
 * API key with 400 INVALID_ARGUMENT (reason API_KEY_INVALID) and an unusable project
 * (billing, region) with 400 FAILED_PRECONDITION: those fail over like a 401 would.
 */
export function isClientFault(protocol: WireProtocol, text: string): boolean {
  if (protocol !== "google-gemini") return true;
  const error = parseObject(text)?.error as { status?: unknown; details?: unknown } | undefined;
  if (!error || typeof error !== "object") return true;
  if (error.status === "FAILED_PRECONDITION") return false;
  const details = Array.isArray(error.details) ? (error.details as { reason?: unknown }[]) : [];
  return !details.some((detail) => typeof detail?.reason === "string" && GOOGLE_KEY_REASONS.has(detail.reason));
}
