/** The Anthropic Messages surface (POST /api/anthropic/v1/messages). */
import type { GatewayError } from "../errors.ts";
import { anthropicErrorAnswer, anthropicStreamErrorEvent } from "../protocols/anthropic-messages/errors.ts";
import { parseMessagesRequest, type MessagesRequest } from "../protocols/anthropic-messages/request-schema.ts";
import { withoutGatewayFields } from "../protocols/gateway-options.ts";
import { chatResponseToMessage, messagesRequestToChat } from "../protocols/translate/messages-over-chat.ts";
import { createChatToMessagesStream } from "../protocols/translate/messages-over-chat-stream.ts";
import { chatRequestToGemini } from "../protocols/translate/chat-over-gemini.ts";
import { createGeminiToChatStream, geminiToChatCompletion } from "../protocols/translate/chat-over-gemini-answer.ts";
import { chatRequestToResponses } from "../protocols/translate/chat-over-responses.ts";
import { createResponsesToChatStream, responseToChatCompletion } from "../protocols/translate/chat-over-responses-answer.ts";
import type { RequestNeeds } from "../routing/request-needs.ts";
import { createMessagesPassthrough } from "./passthrough.ts";
import { formatNanoUsd } from "../metering/money.ts";
import type { ClientSurface } from "./types.ts";

function textLength(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + textLength(v), 0);
  if (value && typeof value === "object") {
    const block = value as Record<string, unknown>;
    if (block.type === "image" || block.type === "document") return 3000;
    return textLength(block.text) + textLength(block.content) + textLength(block.thinking) + (block.input ? JSON.stringify(block.input).length : 0);
  }
  return 0;
}

function needsOf(request: MessagesRequest): RequestNeeds {
  const chars = textLength(request.system) + request.messages.reduce((n, m) => n + textLength(m.content) + 16, 0) + JSON.stringify(request.tools ?? []).length;
  const images = request.messages.some((m) => Array.isArray(m.content) && m.content.some((b) => b.type === "image"));
  return { tools: (request.tools?.length ?? 0) > 0, images, json: false, estimatedPromptTokens: Math.ceil(chars / 4), maxOutputTokens: request.max_tokens };
}

/**
 * OpenAI sends reasoning text only as a summary it was asked for: a Responses upstream is
 * asked for one when the client turned thinking on (it expects thinking blocks back) and
 * the model reasons.
 */
function withThinkingSummary(body: Record<string, unknown>, request: Record<string, unknown>, reasons: boolean): Record<string, unknown> {
  const thinking = request.thinking as { type?: unknown } | undefined;
  if (!reasons || (thinking?.type !== "enabled" && thinking?.type !== "adaptive")) return body;
  return { ...body, reasoning: { ...(body.reasoning as Record<string, unknown> | undefined), summary: "auto" } };
}

export const messagesSurface: ClientSurface = {
  api: "messages",
  protocol: "anthropic-messages",
  // Responses and Gemini upstreams through the Chat hub: Messages → Chat → Responses (or Gemini), and back.
  upstreams: ["openai-chat", "anthropic-messages", "openai-responses", "google-gemini"],
  parse(body) {
    const request = parseMessagesRequest(body);
    return { model: request.model, stream: request.stream === true, includeUsage: true, routing: request, needs: needsOf(request), body: request };
  },
  clientHeaders(request) {
    return { anthropicVersion: request.headers.get("anthropic-version") ?? undefined, anthropicBeta: request.headers.get("anthropic-beta") ?? undefined };
  },
  upstreamBody(parsed, candidate, upstream) {
    const body = withoutGatewayFields(parsed.body);
    if (upstream === "anthropic-messages") return body;
    const chat = messagesRequestToChat(body).body;
    if (upstream === "google-gemini") return chatRequestToGemini(chat).body;
    return upstream === "openai-chat" ? chat : withThinkingSummary(chatRequestToResponses(chat).body, body, candidate.model.capabilities.reasoning);
  },
  jsonBody(upstream, body, served) {
    if (upstream === "anthropic-messages") return { ...body, model: served.servedModel };
    const shape = { model: served.servedModel, id: `chatcmpl-${served.id}`, created: served.created };
    const chat = upstream === "openai-chat" ? body : upstream === "google-gemini" ? geminiToChatCompletion(body, shape) : responseToChatCompletion(body, shape);
    return chatResponseToMessage(chat, { model: served.servedModel, id: `msg_${served.id}` });
  },
  streamTranslator(upstream, served) {
    if (upstream === "anthropic-messages") return createMessagesPassthrough(served);
    const toMessages = createChatToMessagesStream({ model: served.servedModel, id: `msg_${served.id}`, estimatedInputTokens: served.estimatedInputTokens });
    if (upstream === "openai-chat") return toMessages;
    const shape = { model: served.servedModel, id: `chatcmpl-${served.id}`, created: served.created, includeUsage: true };
    const toChat = upstream === "google-gemini" ? createGeminiToChatStream(shape) : createResponsesToChatStream(shape);
    return {
      push: (event) => toChat.push(event).flatMap((chunk) => toMessages.push(chunk)),
      finish: () => [...toChat.finish().flatMap((chunk) => toMessages.push(chunk)), ...toMessages.finish()],
    };
  },
  // Anthropic's response has no place for cost: it travels in a header (and the generation record).
  withCost: (payload, cost) => ({ payload, headers: { "x-switchyard-cost": formatNanoUsd(cost.totalNanoUsd, 0) } }),
  withStreamCost: (event) => event,
  errorResponse: (error: GatewayError, headers) => anthropicErrorAnswer(error, headers),
  streamErrorEvent: (error: GatewayError) => anthropicStreamErrorEvent(error),
};
