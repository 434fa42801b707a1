/** The OpenAI Chat Completions surface (POST /api/v1/chat/completions). */
import { GatewayError } from "../errors.ts";
import { withoutGatewayFields } from "../protocols/gateway-options.ts";
import { openAiErrorAnswer, openAiStreamErrorEvent } from "../protocols/openai-chat/errors.ts";
import { parseChatRequest, type ChatRequest } from "../protocols/openai-chat/request-schema.ts";
import { chatRequestToMessages, messageToChatResponse } from "../protocols/translate/chat-over-messages.ts";
import { createMessagesToChatStream } from "../protocols/translate/chat-over-messages-stream.ts";
import { chatRequestToGemini } from "../protocols/translate/chat-over-gemini.ts";
import { createGeminiToChatStream, geminiToChatCompletion } from "../protocols/translate/chat-over-gemini-answer.ts";
import { chatRequestToResponses } from "../protocols/translate/chat-over-responses.ts";
import { createResponsesToChatStream, responseToChatCompletion } from "../protocols/translate/chat-over-responses-answer.ts";
import { readRequestNeeds } from "../routing/request-needs.ts";
import { createChatPassthrough } from "./passthrough.ts";
import { formatNanoUsd } from "../metering/money.ts";
import { costDetails, defaultMaxTokens, type ClientSurface } from "./types.ts";

export const chatSurface: ClientSurface = {
  api: "chat",
  protocol: "openai-chat",
  upstreams: ["openai-chat", "anthropic-messages", "openai-responses", "google-gemini"],
  parse(body) {
    const request = parseChatRequest(body);
    return {
      model: request.model,
      stream: request.stream === true,
      includeUsage: request.stream_options?.include_usage === true,
      routing: request,
      needs: readRequestNeeds(request),
      body: request,
    };
  },
  clientHeaders: () => undefined,
  upstreamBody(parsed, candidate, upstream) {
    const body = withoutGatewayFields(parsed.body);
    if (upstream === "openai-chat") return body;
    if (upstream === "openai-responses") return chatRequestToResponses(body).body;
    if (upstream === "google-gemini") return chatRequestToGemini(body).body;
    return chatRequestToMessages(body as ChatRequest, { defaultMaxTokens: defaultMaxTokens(candidate.model, candidate) }).body;
  },
  jsonBody(upstream, body, served) {
    if (upstream === "openai-chat") return { ...body, model: served.servedModel };
    if (upstream === "openai-responses")
      return responseToChatCompletion(body, { model: served.servedModel, id: `chatcmpl-${served.id}`, created: served.created });
    if (upstream === "google-gemini") return geminiToChatCompletion(body, { model: served.servedModel, id: `chatcmpl-${served.id}`, created: served.created });
    return messageToChatResponse(body, { model: served.servedModel, id: `chatcmpl-${served.id}`, created: served.created });
  },
  streamTranslator(upstream, served) {
    if (upstream === "openai-chat") return createChatPassthrough(served);
    if (upstream === "openai-responses")
      return createResponsesToChatStream({
        model: served.servedModel,
        id: `chatcmpl-${served.id}`,
        created: served.created,
        includeUsage: served.includeUsage,
      });
    if (upstream === "google-gemini")
      return createGeminiToChatStream({ model: served.servedModel, id: `chatcmpl-${served.id}`, created: served.created, includeUsage: served.includeUsage });
    return createMessagesToChatStream({ model: served.servedModel, id: `chatcmpl-${served.id}`, created: served.created, includeUsage: served.includeUsage });
  },
  withCost(payload, cost) {
    const usage = (payload.usage as Record<string, unknown> | undefined) ?? {};
    return {
      payload: { ...payload, usage: { ...usage, cost: Number(formatNanoUsd(cost.totalNanoUsd, 0)), cost_details: costDetails(cost) } },
      headers: { "x-switchyard-cost": formatNanoUsd(cost.totalNanoUsd, 0) },
    };
  },
  withStreamCost(event, cost) {
    // Only the final usage chunk (no choices, usage set) carries the cost.
    if (!event.data.startsWith("{") || !event.data.includes('"usage":{')) return event;
    const chunk = JSON.parse(event.data) as { choices?: unknown[]; usage?: Record<string, unknown> | null };
    if (!chunk.usage || (chunk.choices?.length ?? 0) > 0) return event;
    const breakdown = cost();
    chunk.usage = { ...chunk.usage, cost: Number(formatNanoUsd(breakdown.totalNanoUsd, 0)), cost_details: costDetails(breakdown) };
    return { ...event, data: JSON.stringify(chunk) };
  },
  errorResponse: (error: GatewayError, headers) => openAiErrorAnswer(error, headers),
  streamErrorEvent: (error: GatewayError) => openAiStreamErrorEvent(error),
};
