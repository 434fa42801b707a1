/**
 * The OpenAI Responses surface (POST /api/v1/responses; Codex CLI's wire API). Chat
 * Completions is the hub: a Chat upstream gets the request translated to Chat
 * (responses-over-chat.ts), a Messages upstream that Chat body translated on
 * (chat-over-messages.ts; a Gemini one: chat-over-gemini.ts), and answers come back the same way in reverse, streams
 * through composed translators. A Responses upstream is relayed as it answers, with
 * the gateway's response id and the served model put in.
 */
import { formatNanoUsd } from "../metering/money.ts";
import type { GatewayError } from "../errors.ts";
import { withoutGatewayFields } from "../protocols/gateway-options.ts";
import { openAiErrorAnswer } from "../protocols/openai-chat/errors.ts";
import type { ChatRequest } from "../protocols/openai-chat/request-schema.ts";
import { parseResponsesRequest, previousResponseIdOf, type ResponsesRequest } from "../protocols/openai-responses/request-schema.ts";
import { isRecord, type ResponseShape } from "../protocols/openai-responses/response-object.ts";
import { inputItemsOf, previousResponseNotFound } from "../protocols/openai-responses/stored-context.ts";
import { chatRequestToMessages, createMessagesToChatStream, messageToChatResponse } from "../protocols/translate/chat-over-messages.ts";
import { chatRequestToGemini } from "../protocols/translate/chat-over-gemini.ts";
import { createGeminiToChatStream, geminiToChatCompletion } from "../protocols/translate/chat-over-gemini-answer.ts";
import { isAnthropicReasoningItem, withoutReasoningDetails } from "../protocols/translate/reasoning-details.ts";
import { chatResponseToResponses, responsesRequestToChat } from "../protocols/translate/responses-over-chat.ts";
import { createChatToResponsesStream } from "../protocols/translate/responses-over-chat-stream.ts";
import { readRequestNeeds } from "../routing/request-needs.ts";
import type { SseEvent } from "../sse.ts";
import { createResponsesPassthrough, responsesFailureEvents } from "./passthrough.ts";
import { costDetails, defaultMaxTokens, type ClientSurface, type EventTranslator, type ServedAs, type SurfaceMemory } from "./types.ts";

type Json = Record<string, unknown>;

/** Each request's Chat form, translated once at parse time (needs, and every Chat or Messages candidate's body). */
const hubBodies = new WeakMap<object, Json>();

function hubBody(request: Json): Json {
  let body = hubBodies.get(request);
  if (!body) {
    body = responsesRequestToChat(request as ResponsesRequest).body;
    hubBodies.set(request, body);
  }
  return body;
}

/**
 * The client's request for a Responses upstream, without the reasoning items the gateway
 * wrote from Anthropic thinking: only a Messages upstream can read them back, and OpenAI
 * refuses encrypted_content it cannot decrypt. OpenAI's own reasoning items stay.
 */
function withoutAnthropicReasoning(body: Json): Json {
  if (!Array.isArray(body.input) || !body.input.some(isAnthropicReasoningItem)) return body;
  return { ...body, input: body.input.filter((item) => !isAnthropicReasoningItem(item)) };
}

const shapeOf = (served: ServedAs): ResponseShape => ({
  id: `resp_${served.id}`,
  model: served.servedModel,
  createdAt: served.created,
  request: served.request,
});

/** Messages (or Gemini) events → Chat chunks → Responses events: the two translators in a row. */
function viaChatToResponses(upstream: "anthropic-messages" | "google-gemini", served: ServedAs): EventTranslator {
  const shape = { model: served.servedModel, id: `chatcmpl-${served.id}`, created: served.created, includeUsage: true };
  const toChat = upstream === "google-gemini" ? createGeminiToChatStream(shape) : createMessagesToChatStream(shape);
  const toResponses = chatToResponses(served);
  return {
    push: (event) => toChat.push(event).flatMap((chunk) => toResponses.push(chunk)),
    finish: () => [...toChat.finish().flatMap((chunk) => toResponses.push(chunk)), ...toResponses.finish()],
    fail: (error) => toResponses.fail!(error),
  };
}

function chatToResponses(served: ServedAs): EventTranslator {
  const translator = createChatToResponsesStream(shapeOf(served));
  return { push: (event) => translator.push(event), finish: () => translator.finish(), fail: (error) => translator.fail(error.message, error.type) };
}

const TERMINAL_EVENTS = new Set(["response.completed", "response.incomplete"]);

/** What the client says about keeping its answer, echoed in the response (a Responses upstream was told store: false). */
const keptAs = (request: Json) => ({
  store: request.store !== false,
  previous_response_id: typeof request.previous_response_id === "string" ? request.previous_response_id : null,
});

/** store: true or left out (OpenAI's default) keeps the answer; the conversation kept is the one the model saw. */
const responsesMemory: SurfaceMemory = {
  continuesFrom: previousResponseIdOf,
  notFound: previousResponseNotFound,
  toKeep(parsed, response) {
    const request = parsed.body as ResponsesRequest;
    if (request.store === false) return null;
    const { output, ...rest } = response;
    return { inputItems: inputItemsOf(request.input), outputItems: Array.isArray(output) ? output.filter(isRecord) : [], response: rest };
  },
  finalResponse(event) {
    if (!event.event || !TERMINAL_EVENTS.has(event.event)) return null;
    const data = JSON.parse(event.data) as { response?: unknown };
    return isRecord(data.response) ? data.response : null;
  },
};

export const responsesSurface: ClientSurface = {
  api: "responses",
  protocol: "openai-responses",
  upstreams: ["openai-responses", "openai-chat", "anthropic-messages", "google-gemini"],
  memory: responsesMemory,
  parse(body, _request, previous) {
    const request = parseResponsesRequest(body, previous ?? null);
    const chat = hubBody(request);
    return {
      model: request.model,
      stream: request.stream === true,
      includeUsage: true,
      routing: request,
      needs: readRequestNeeds(chat as ChatRequest),
      body: request,
    };
  },
  clientHeaders: () => undefined,
  upstreamBody(parsed, candidate, upstream) {
    // Never stored upstream: the next call may go to another provider, and the id the client sees is the gateway's.
    // A continuation sends the whole conversation (already in input), not the id, which only the gateway knows.
    if (upstream === "openai-responses") {
      const { previous_response_id: _continued, ...body } = withoutAnthropicReasoning(withoutGatewayFields(parsed.body));
      return { ...body, store: false };
    }
    const chat = hubBody(parsed.body);
    if (upstream === "openai-chat") return withoutReasoningDetails(chat);
    if (upstream === "google-gemini") return chatRequestToGemini(chat).body;
    return chatRequestToMessages(chat as ChatRequest, { defaultMaxTokens: defaultMaxTokens(candidate.model, candidate) }).body;
  },
  jsonBody(upstream, body, served) {
    const shape = shapeOf(served);
    if (upstream === "openai-responses") return { ...body, id: shape.id, model: shape.model, ...keptAs(served.request) };
    const chatShape = { model: served.servedModel, id: `chatcmpl-${served.id}`, created: served.created };
    const chat =
      upstream === "openai-chat" ? body : upstream === "google-gemini" ? geminiToChatCompletion(body, chatShape) : messageToChatResponse(body, chatShape);
    return chatResponseToResponses(chat, shape);
  },
  streamTranslator(upstream, served) {
    if (upstream === "openai-responses")
      return createResponsesPassthrough({ servedModel: served.servedModel, responseId: `resp_${served.id}`, echo: keptAs(served.request) });
    return upstream === "openai-chat" ? chatToResponses(served) : viaChatToResponses(upstream === "google-gemini" ? upstream : "anthropic-messages", served);
  },
  withCost(payload, cost) {
    const usage = (payload.usage as Json | null | undefined) ?? {};
    return {
      payload: { ...payload, usage: { ...usage, cost: Number(formatNanoUsd(cost.totalNanoUsd, 0)), cost_details: costDetails(cost) } },
      headers: { "x-switchyard-cost": formatNanoUsd(cost.totalNanoUsd, 0) },
    };
  },
  withStreamCost(event: SseEvent, cost) {
    // The closing event's response carries the cost, as a JSON answer's usage does.
    if (!event.event || !TERMINAL_EVENTS.has(event.event)) return event;
    const data = JSON.parse(event.data) as { response?: Json };
    if (!data.response) return event;
    const breakdown = cost();
    const usage = (data.response.usage as Json | null | undefined) ?? {};
    data.response = { ...data.response, usage: { ...usage, cost: Number(formatNanoUsd(breakdown.totalNanoUsd, 0)), cost_details: costDetails(breakdown) } };
    return { ...event, data: JSON.stringify(data) };
  },
  errorResponse: (error: GatewayError, headers) => openAiErrorAnswer(error, headers),
  // Only for a translator without fail(); every Responses translator has one, which numbers its events.
  streamErrorEvent: (error: GatewayError) =>
    responsesFailureEvents(error, 0, { object: "response", output: [] })
      .map((event) => `event: ${event.event}\ndata: ${event.data}\n\n`)
      .join(""),
};
