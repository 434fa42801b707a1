/**
 * Errors on the OpenAI-style surface and the console API, in ZenMux's format:
 * {"error":{"code":"401","type":"invalid_api_key","message":"…"}}. Client errors that
 * retrying cannot fix carry `x-should-retry: false`, which the official SDKs honour.
 */
import { apiKeyErrorStatus, isApiKeyError } from "../gateway/principal.ts";
import { TooManyAttemptsError } from "../auth/sign-in-throttle.ts";
import { jsonResponse } from "./json-response.ts";
import { NotFoundError } from "../errors/not-found-error.ts";
import { ValidationError } from "../errors/validation-error.ts";

export function apiErrorResponse(status: number, type: string, message: string, extra: Record<string, unknown> = {}, headers: HeadersInit = {}): Response {
  const retryable = status === 408 || status === 429 || status >= 500;
  const all = new Headers(headers);
  if (!retryable) all.set("x-should-retry", "false");
  all.set("cache-control", "no-store");
  return jsonResponse({ error: { code: String(status), type, message, ...extra } }, { status, headers: all });
}

/** The one place typed errors become HTTP responses. Unknown errors are logged without detail to the client. */
export function errorToResponse(error: unknown): Response {
  if (error instanceof ValidationError) return apiErrorResponse(400, "invalid_params", error.message, { fields: error.fields });
  if (isApiKeyError(error)) {
    const { status, type } = apiKeyErrorStatus(error);
    return apiErrorResponse(status, type, error.message);
  }
  if (error instanceof NotFoundError) return apiErrorResponse(404, "not_found", error.message);
  if (error instanceof TooManyAttemptsError) {
    return apiErrorResponse(429, "rate_limit", error.message, {}, { "retry-after": String(error.retryAfterSeconds) });
  }
  console.error(`unhandled error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  return apiErrorResponse(500, "internal_server_error", "Something went wrong on our side; the error was logged.");
}

/** The request body as JSON, or a ValidationError a client can act on. */
export async function readJsonBody(request: Request, maxBytes = 1_000_000): Promise<unknown> {
  const text = await request.text();
  if (text.length > maxBytes) throw new ValidationError({ "": `Request body is larger than ${maxBytes} bytes` });
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError({ "": "Request body must be valid JSON" });
  }
}
