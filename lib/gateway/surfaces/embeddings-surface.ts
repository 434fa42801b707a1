/**
 * The OpenAI embeddings surface (POST /api/v1/embeddings). It runs the generation
 * pipeline like the chat surfaces (model resolution, rate limits, the hold, failover,
 * settlement, the record), with what sets embeddings apart: embedding models only, OpenAI
 * upstreams only (their `/embeddings`; a provider of another protocol is skipped with a
 * reason), JSON only, and nothing but input to bill or hold for.
 */
import { formatNanoUsd } from "../metering/money.ts";
import { GatewayError } from "../errors.ts";
import { withoutGatewayFields } from "../protocols/gateway-options.ts";
import { openAiErrorAnswer, openAiStreamErrorEvent } from "../protocols/openai-chat/errors.ts";
import { withEncoding } from "../protocols/openai-embeddings/embedding-encoding.ts";
import { estimateInputTokens, parseEmbeddingsRequest, type EmbeddingsRequest } from "../protocols/openai-embeddings/request-schema.ts";
import { costDetails, type ClientSurface } from "./types.ts";

export const embeddingsSurface: ClientSurface = {
  api: "embeddings",
  protocol: "openai-chat",
  modelKind: "embedding",
  // OpenAI's API family: the adapter's /embeddings beside its /chat/completions.
  upstreams: ["openai-chat"],
  parse(body) {
    const { request, inputs } = parseEmbeddingsRequest(body);
    const tokens = inputs.map(estimateInputTokens);
    return {
      model: request.model,
      stream: false,
      includeUsage: false,
      routing: request,
      needs: {
        tools: false,
        images: false,
        json: false,
        estimatedPromptTokens: tokens.reduce((sum, n) => sum + n, 0),
        // An embedding model's context bounds each input, not the batch.
        contextTokens: Math.max(...tokens),
        maxOutputTokens: 0,
      },
      body: request,
    };
  },
  clientHeaders: () => undefined,
  upstreamBody: (parsed) => withoutGatewayFields(parsed.body),
  jsonBody(_upstream, body, served) {
    // OpenAI's default is float; the official SDK asks for base64 and decodes it.
    const format = (served.request as EmbeddingsRequest).encoding_format ?? "float";
    return { ...withEncoding(body, format), model: served.servedModel };
  },
  streamTranslator() {
    throw new GatewayError(500, "internal_server_error", "Embeddings are never streamed");
  },
  withCost(payload, cost) {
    const usage = (payload.usage as Record<string, unknown> | undefined) ?? {};
    return {
      payload: { ...payload, usage: { ...usage, cost: Number(formatNanoUsd(cost.totalNanoUsd, 0)), cost_details: costDetails(cost) } },
      headers: { "x-switchyard-cost": formatNanoUsd(cost.totalNanoUsd, 0) },
    };
  },
  withStreamCost: (event) => event,
  errorResponse: (error, headers) => openAiErrorAnswer(error, headers),
  streamErrorEvent: (error) => openAiStreamErrorEvent(error),
};
