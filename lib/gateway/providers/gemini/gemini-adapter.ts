/**
 * Google Gemini upstreams (Google AI Studio `https://generativelanguage.googleapis.com/v1beta`,
 * Vertex AI with an API key `https://aiplatform.googleapis.com/v1/publishers/google`, any server speaking
 * generateContent): `${baseUrl}/models/{model}:generateContent`, or
 * `:streamGenerateContent?alt=sse` for Server-Sent Events (without `alt=sse` Google streams
 * one JSON array). The model is in the path, not the body; the key goes in
 * `x-goog-api-key` (never the `?key=` query, which would land in access logs).
 */
import { serializeJsonBody } from "../../json/json-body.ts";
import type { ProviderAdapter } from "../types.ts";

export const geminiAdapter: ProviderAdapter = {
  kind: "gemini",
  protocol: "google-gemini",
  probeBody: { contents: [{ role: "user", parts: [{ text: "ping" }] }], generationConfig: { maxOutputTokens: 1 } },
  buildRequest({ endpoint, credential, body, stream }) {
    const model = endpoint.upstreamModel
      .replace(/^models\//, "")
      .split("/")
      .map(encodeURIComponent)
      .join("/");
    const method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
    return {
      url: `${endpoint.provider.baseUrl.replace(/\/+$/, "")}/models/${model}:${method}`,
      headers: {
        "x-goog-api-key": credential,
        "content-type": "application/json",
        accept: stream ? "text/event-stream" : "application/json",
      },
      body: serializeJsonBody(body),
    };
  },
};
