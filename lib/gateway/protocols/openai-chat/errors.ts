/** GatewayError → the OpenAI-surface error body, in ZenMux's format. */
import { GatewayError } from "../../errors.ts";
import type { Answer } from "../../exchange.ts";

/** ZenMux's fields (`code` is the status as a string) plus OpenAI's `param`, null when no field is at fault. */
export function openAiErrorBody(error: GatewayError) {
  return { error: { code: String(error.status), type: error.type, message: error.message, param: error.param ?? null } };
}

export function openAiErrorAnswer(error: GatewayError, headers: Record<string, string> = {}): Answer {
  const all: Record<string, string> = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...error.headers, ...headers };
  if (!error.retryable) all["x-should-retry"] = "false";
  return { status: error.status, headers: all, body: JSON.stringify(openAiErrorBody(error)) };
}

/** The in-stream form, for failures after the first byte reached the client. */
export function openAiStreamErrorEvent(error: GatewayError): string {
  return `data: ${JSON.stringify(openAiErrorBody(error))}\n\n`;
}
