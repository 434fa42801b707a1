/**
 * The Google Gemini surface (POST /api/vertex-ai/{v1,v1beta}/…/models/{model}:generateContent
 * and :streamGenerateContent; Gemini CLI's and @google/genai's wire API). The model and the
 * streaming choice come from the path (gemini-path.ts), not the body. Chat Completions is
 * the hub: the request is translated to Chat once (gemini-over-chat.ts), and on from there
 * to a Messages or Responses upstream; answers come back the same way, streams through
 * composed translators. A Gemini upstream is relayed as it answers, with the served model
 * in `modelVersion`.
 */
import { formatNanoUsd } from "../metering/money.ts";
import { GatewayError } from "../errors.ts";
import { withoutGatewayFields } from "../protocols/gateway-options.ts";
import { googleErrorAnswer, googleStreamErrorEvent } from "../protocols/google-gemini/errors.ts";
import { isServedGeminiMethod, parseGeminiPath } from "../protocols/google-gemini/gemini-path.ts";
import { parseGeminiRequest, type GeminiRequest } from "../protocols/google-gemini/request-schema.ts";
import type { ChatRequest } from "../protocols/openai-chat/request-schema.ts";
import { chatRequestToMessages, messageToChatResponse } from "../protocols/translate/chat-over-messages.ts";
import { createMessagesToChatStream } from "../protocols/translate/chat-over-messages-stream.ts";
import { chatRequestToResponses } from "../protocols/translate/chat-over-responses.ts";
import { createResponsesToChatStream, responseToChatCompletion } from "../protocols/translate/chat-over-responses-answer.ts";
import { chatCompletionToGemini, geminiRequestToChat } from "../protocols/translate/gemini-over-chat.ts";
import { createChatToGeminiStream } from "../protocols/translate/gemini-over-chat-stream.ts";
import { readRequestNeeds } from "../routing/request-needs.ts";
import { createGeminiPassthrough } from "./passthrough.ts";
import { defaultMaxTokens, type ClientSurface, type EventTranslator, type ServedAs } from "./types.ts";

type Json = Record<string, unknown>;

/** Each request's Chat form, translated once at parse time (needs, and every non-Gemini candidate's body). */
const hubBodies = new WeakMap<object, Json>();

function hubBody(parsedBody: Json): Json {
  const body = hubBodies.get(parsedBody);
  if (!body) throw new Error("gemini surface: a body that parse() did not produce");
  return body;
}

/** The model and streaming choice the path names; a path this surface cannot serve is a 404 in Google's shape. */
function readPath(path: string): { model: string; stream: boolean } {
  const named = parseGeminiPath(path);
  if (!named) throw new GatewayError(404, "not_found", `Unknown API path ${path.slice(0, 200)}: expected …/models/{model}:generateContent`);
  if (!isServedGeminiMethod(named.method) || named.method === "countTokens") {
    throw new GatewayError(
      404,
      "not_found",
      `Method ${named.method ?? "(none)"} is not served on ${named.model}: this gateway serves generateContent, streamGenerateContent and countTokens`,
    );
  }
  return { model: named.model, stream: named.method === "streamGenerateContent" };
}

/** Google sends thought parts only when the request's thinkingConfig.includeThoughts asked for them. */
function includesThoughts(request: Json): boolean {
  const config = request.generationConfig as { thinkingConfig?: { includeThoughts?: unknown } } | undefined;
  return config?.thinkingConfig?.includeThoughts === true;
}

/**
 * OpenAI sends reasoning text only as a summary it was asked for: a Responses upstream is
 * asked for one when the client wants thoughts, the model reasons, and reasoning is not off.
 */
function withThoughtSummary(body: Json, request: Json, reasons: boolean): Json {
  const reasoning = (body.reasoning as Json | undefined) ?? {};
  if (!includesThoughts(request) || !reasons || reasoning.effort === "none") return body;
  return { ...body, reasoning: { ...reasoning, summary: "auto" } };
}

const geminiShape = (served: ServedAs) => ({ model: served.servedModel, responseId: served.id, includeThoughts: includesThoughts(served.request) });
const chatShape = (served: ServedAs) => ({ model: served.servedModel, id: `chatcmpl-${served.id}`, created: served.created });

/** Upstream events → Chat chunks → Gemini chunks: the two translators in a row. */
function viaChatToGemini(upstream: "anthropic-messages" | "openai-responses", served: ServedAs): EventTranslator {
  const shape = { ...chatShape(served), includeUsage: true };
  const toChat = upstream === "openai-responses" ? createResponsesToChatStream(shape) : createMessagesToChatStream(shape);
  const toGemini = createChatToGeminiStream(geminiShape(served));
  return {
    push: (event) => toChat.push(event).flatMap((chunk) => toGemini.push(chunk)),
    finish: () => [...toChat.finish().flatMap((chunk) => toGemini.push(chunk)), ...toGemini.finish()],
    fail: (error) => toGemini.fail(error),
  };
}

export const geminiSurface: ClientSurface = {
  api: "generate_content",
  protocol: "google-gemini",
  upstreams: ["google-gemini", "openai-chat", "anthropic-messages", "openai-responses"],
  parse(body, request) {
    const { model, stream } = readPath(request.path);
    const parsed = parseGeminiRequest(body) as GeminiRequest & Json;
    const chat = geminiRequestToChat(parsed, { model, stream }).body;
    hubBodies.set(parsed, chat);
    // The gateway's own routing fields ride in the body as on the other surfaces; the model is the path's.
    return {
      model,
      stream,
      includeUsage: true,
      routing: { ...(parsed as Json), model } as ClientRouting,
      needs: readRequestNeeds(chat as ChatRequest),
      body: parsed,
    };
  },
  clientHeaders: () => undefined,
  upstreamBody(parsed, candidate, upstream) {
    if (upstream === "google-gemini") return withoutGatewayFields(parsed.body);
    const chat = hubBody(parsed.body);
    if (upstream === "openai-chat") return chat;
    if (upstream === "openai-responses") return withThoughtSummary(chatRequestToResponses(chat).body, parsed.body, candidate.model.capabilities.reasoning);
    return chatRequestToMessages(chat as ChatRequest, { defaultMaxTokens: defaultMaxTokens(candidate.model, candidate) }).body;
  },
  jsonBody(upstream, body, served) {
    if (upstream === "google-gemini") return { ...body, modelVersion: served.servedModel };
    const chat =
      upstream === "openai-chat"
        ? body
        : upstream === "openai-responses"
          ? responseToChatCompletion(body, chatShape(served))
          : messageToChatResponse(body, chatShape(served));
    return chatCompletionToGemini(chat, geminiShape(served));
  },
  streamTranslator(upstream, served) {
    if (upstream === "google-gemini") return createGeminiPassthrough(served);
    if (upstream === "openai-chat") return createChatToGeminiStream(geminiShape(served));
    return viaChatToGemini(upstream, served);
  },
  // Google's response has no place for cost: it travels in a header (and the generation record), as on the Anthropic surface.
  withCost: (payload, cost) => ({ payload, headers: { "x-switchyard-cost": formatNanoUsd(cost.totalNanoUsd, 0) } }),
  withStreamCost: (event) => event,
  errorResponse: (error: GatewayError, headers) => googleErrorAnswer(error, headers),
  streamErrorEvent: (error: GatewayError) => googleStreamErrorEvent(error),
};

type ClientRouting = Parameters<ClientSurface["upstreamBody"]>[0]["routing"];
