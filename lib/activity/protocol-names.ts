/**
 * How the console names the protocols a call was spoken in: the client's (`api`) and the
 * serving upstream's (`upstreamApi`), both in the record's names (lib/gateway/ports/gateway-deps.ts
 * WIRE_APIS). Plain data, so client components and the server share it.
 */
import type { WireApi } from "../gateway/ports/gateway-deps.ts";

export const PROTOCOL_LABELS: Record<WireApi, { short: string; full: string }> = {
  chat: { short: "OpenAI Chat", full: "OpenAI Chat Completions" },
  messages: { short: "Anthropic", full: "Anthropic Messages" },
  responses: { short: "OpenAI Responses", full: "OpenAI Responses" },
  embeddings: { short: "Embeddings", full: "OpenAI Embeddings" },
  generate_content: { short: "Gemini", full: "Google Gemini generateContent" },
};

/** The protocols the activity filter offers, in menu order. */
export const CLIENT_PROTOCOLS = Object.keys(PROTOCOL_LABELS) as WireApi[];

export function protocolLabel(api: string, form: "short" | "full" = "short"): string {
  return PROTOCOL_LABELS[api as WireApi]?.[form] ?? api;
}

/**
 * "OpenAI Chat → Anthropic" when the gateway translated; the one name when the upstream
 * spoke the client's protocol (passed through) or none served.
 */
export function protocolRoute(api: string, upstreamApi: string | null, form: "short" | "full" = "short"): string {
  if (!upstreamApi || upstreamApi === api) return protocolLabel(api, form);
  return `${protocolLabel(api, form)} → ${protocolLabel(upstreamApi, form)}`;
}
