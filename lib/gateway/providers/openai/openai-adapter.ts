/**
 * OpenAI-compatible Chat Completions upstreams (OpenAI, DeepInfra, Groq, Together,
 * Fireworks, vLLM, …): `${baseUrl}/chat/completions`, Bearer auth. Streams always ask
 * for usage (`stream_options.include_usage`) so every call can be metered; the relay
 * drops the extra chunk when the client did not ask for it. Embeddings: `${baseUrl}/embeddings`.
 */
import { serializeJsonBody } from "../../json/json-body.ts";
import type { ProviderAdapter } from "../types.ts";

export const openAiAdapter: ProviderAdapter = {
  kind: "openai",
  protocol: "openai-chat",
  probeBody: { max_tokens: 1, messages: [{ role: "user", content: "ping" }] },
  buildRequest({ endpoint, credential, body, stream }) {
    const upstreamBody: Record<string, unknown> = { ...body, model: endpoint.upstreamModel };
    if (stream) upstreamBody.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
    return {
      url: `${endpoint.provider.baseUrl.replace(/\/+$/, "")}/chat/completions`,
      headers: {
        authorization: `Bearer ${credential}`,
        "content-type": "application/json",
        accept: stream ? "text/event-stream" : "application/json",
      },
      body: serializeJsonBody(upstreamBody),
    };
  },
  buildEmbeddingsRequest({ endpoint, credential, body }) {
    return {
      url: `${endpoint.provider.baseUrl.replace(/\/+$/, "")}/embeddings`,
      headers: { authorization: `Bearer ${credential}`, "content-type": "application/json", accept: "application/json" },
      body: serializeJsonBody({ ...body, model: endpoint.upstreamModel }),
    };
  },
};
