/** GatewayError → the OpenAI-surface error body, in ZenMux's format. */
import { GatewayError } from "../../errors.ts";

export function openAiErrorBody(error: GatewayError) {
  return { error: { code: String(error.status), type: error.type, message: error.message, ...(error.param ? { param: error.param } : {}) } };
}

export function openAiErrorResponse(error: GatewayError, headers: Record<string, string> = {}): Response {
  const all = new Headers({ "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...error.headers, ...headers });
  if (!error.retryable) all.set("x-should-retry", "false");
  return new Response(JSON.stringify(openAiErrorBody(error)), { status: error.status, headers: all });
}

/** The in-stream form, for failures after the first byte reached the client. */
export function openAiStreamErrorEvent(error: GatewayError): string {
  return `data: ${JSON.stringify(openAiErrorBody(error))}\n\n`;
}
