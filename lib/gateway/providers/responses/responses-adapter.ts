/**
 * OpenAI Responses upstreams (OpenAI's own API for models served only there, e.g. the
 * codex and pro classes; any server speaking `POST /responses`): `${baseUrl}/responses`,
 * Bearer auth. Streams need no usage option: Responses always closes with usage in
 * `response.completed`.
 */
import { serializeJsonBody } from "../../json/json-body.ts";
import type { ProviderAdapter } from "../types.ts";

export const responsesAdapter: ProviderAdapter = {
  kind: "responses",
  protocol: "openai-responses",
  // OpenAI's smallest max_output_tokens is 16.
  probeBody: { input: "ping", max_output_tokens: 16 },
  buildRequest({ endpoint, credential, body, stream }) {
    return {
      url: `${endpoint.provider.baseUrl.replace(/\/+$/, "")}/responses`,
      headers: {
        authorization: `Bearer ${credential}`,
        "content-type": "application/json",
        accept: stream ? "text/event-stream" : "application/json",
      },
      body: serializeJsonBody({ ...body, model: endpoint.upstreamModel, ...(stream ? { stream: true } : {}) }),
    };
  },
};
