/**
 * POST …/models/{model}:countTokens on the Gemini surface: `{"totalTokens": N}`. The body is
 * `{contents, …}` or, as @google/genai sends it for a full request, `{generateContentRequest:
 * {contents, systemInstruction, tools, …}}`. Counted as the Anthropic surface counts: the
 * prompt through the Chat hub to Messages blocks, then the same tokenizer walk.
 */
import { GatewayError } from "../errors.ts";
import type { CountTokensProtocol } from "../count-tokens-handler.ts";
import { googleErrorAnswer } from "../protocols/google-gemini/errors.ts";
import { isServedGeminiMethod, parseGeminiPath } from "../protocols/google-gemini/gemini-path.ts";
import { parseGeminiRequest } from "../protocols/google-gemini/request-schema.ts";
import type { ChatRequest } from "../protocols/openai-chat/request-schema.ts";
import { chatRequestToMessages } from "../protocols/translate/chat-over-messages.ts";
import { geminiRequestToChat } from "../protocols/translate/gemini-over-chat.ts";
import type { CountableRequest } from "../tokens/tokenizable-parts.ts";

export const geminiCountTokens: CountTokensProtocol = {
  read(body, request) {
    const named = parseGeminiPath(request.path);
    if (!named || named.method !== "countTokens" || !isServedGeminiMethod(named.method))
      throw new GatewayError(404, "not_found", `Unknown API path ${request.path.slice(0, 200)}`);
    const wrapped =
      body && typeof body === "object" && !Array.isArray(body) && "generateContentRequest" in body
        ? (body as { generateContentRequest: unknown }).generateContentRequest
        : body;
    const chat = geminiRequestToChat(parseGeminiRequest(wrapped), { model: named.model, stream: false }).body;
    const messages = chatRequestToMessages(chat as ChatRequest, { defaultMaxTokens: 1 }).body as unknown as CountableRequest;
    return { model: named.model, prompt: messages };
  },
  answer: (tokens) => ({ totalTokens: tokens }),
  errorAnswer: googleErrorAnswer,
};
