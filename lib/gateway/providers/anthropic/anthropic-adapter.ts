/**
 * Anthropic Messages upstreams: `${baseUrl}/v1/messages`, `x-api-key` auth, and the
 * client's `anthropic-version` / `anthropic-beta` forwarded (a default version when an
 * OpenAI client is being translated).
 */
import { serializeJsonBody } from "../../json/json-body.ts";
import type { ProviderAdapter } from "../types.ts";

export const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

export const anthropicAdapter: ProviderAdapter = {
  kind: "anthropic",
  protocol: "anthropic-messages",
  probeBody: { max_tokens: 1, messages: [{ role: "user", content: "ping" }] },
  buildRequest({ endpoint, credential, body, stream, clientHeaders }) {
    const headers: Record<string, string> = {
      "x-api-key": credential,
      "anthropic-version": clientHeaders?.anthropicVersion ?? DEFAULT_ANTHROPIC_VERSION,
      "content-type": "application/json",
      accept: stream ? "text/event-stream" : "application/json",
    };
    if (clientHeaders?.anthropicBeta) headers["anthropic-beta"] = clientHeaders.anthropicBeta;
    return {
      url: `${endpoint.provider.baseUrl.replace(/\/+$/, "")}/v1/messages`,
      headers,
      body: serializeJsonBody({ ...body, model: endpoint.upstreamModel, ...(stream ? { stream: true } : {}) }),
    };
  },
};
