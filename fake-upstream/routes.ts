/**
 * Which handler and which protocol a request belongs to: route matching (Gemini model ids
 * may contain slashes), the error shape of each surface, the stats counter, and API-key
 * lookup with each provider's own answer to a missing or wrong key.
 */
import type { IncomingMessage } from "node:http";
import { sendAnthropicError } from "./anthropic-messages.ts";
import type { ErrorExtras, SendError } from "./exchange.ts";
import { type GeminiMethod, sendGeminiError } from "./google-gemini.ts";
import { sendOpenAIError } from "./openai-chat.ts";
import type { CallKind } from "./stats.ts";

export type Route =
  | { kind: "chat" }
  | { kind: "messages" }
  | { kind: "count_tokens" }
  | { kind: "responses" }
  | { kind: "embeddings" }
  | { kind: "gemini"; model: string; method: GeminiMethod; vertex: boolean }
  | { kind: "gemini_models"; id: string | null; version: string }
  | { kind: "models"; id: string | null }
  | { kind: "not_found" };

/**
 * Gemini API `/{version}/models/{model}:{method}` and Vertex AI
 * `/{version}/[projects/{p}/locations/{l}/]publishers/{publisher}/models/{model}:{method}`;
 * the model may contain slashes (`models/google/gemini-2.5-pro:generateContent`).
 */
const GEMINI_PATH =
  /^\/(v1|v1beta|v1beta1|v1alpha)\/(projects\/[^/]+\/locations\/[^/]+\/)?(publishers\/[^/]+\/)?models\/(.+):(generateContent|streamGenerateContent|countTokens)$/;
const GEMINI_MODELS_PATH = /^\/(v1beta|v1alpha)\/models(?:\/(.+))?$/;

export function matchRoute(method: string, path: string, googleKey: boolean): Route {
  if (method === "POST" && path === "/v1/chat/completions") return { kind: "chat" };
  if (method === "POST" && path === "/v1/messages") return { kind: "messages" };
  if (method === "POST" && path === "/v1/messages/count_tokens") return { kind: "count_tokens" };
  if (method === "POST" && path === "/v1/responses") return { kind: "responses" };
  if (method === "POST" && path === "/v1/embeddings") return { kind: "embeddings" };
  const gemini = GEMINI_PATH.exec(path);
  if (method === "POST" && gemini) {
    const model = decodeURIComponent(gemini[4]);
    return { kind: "gemini", model, method: gemini[5] as GeminiMethod, vertex: Boolean(gemini[2] ?? gemini[3]) };
  }
  const geminiModels = GEMINI_MODELS_PATH.exec(path);
  if (method === "GET" && geminiModels) {
    return { kind: "gemini_models", id: geminiModels[2] ? decodeURIComponent(geminiModels[2]) : null, version: geminiModels[1] };
  }
  const model = /^\/v1\/models(?:\/(.+))?$/.exec(path);
  if (method === "GET" && model) {
    const id = model[1] ? decodeURIComponent(model[1]) : null;
    // Gemini's v1 API shares the path; a Google key says which one is meant.
    return googleKey ? { kind: "gemini_models", id, version: "v1" } : { kind: "models", id };
  }
  return { kind: "not_found" };
}

export type Protocol = "openai" | "anthropic" | "google";

export const SEND_ERROR: Record<Protocol, SendError> = {
  openai: sendOpenAIError,
  anthropic: sendAnthropicError,
  google: sendGeminiError,
};

/** Which protocol's error shape a request gets, even when no route matched. */
export function protocolOf(route: Route, req: IncomingMessage, path: string, googleKey: boolean): Protocol {
  switch (route.kind) {
    case "chat":
    case "responses":
    case "embeddings":
      return "openai";
    case "messages":
    case "count_tokens":
      return "anthropic";
    case "gemini":
    case "gemini_models":
      return "google";
    default:
      if (req.headers["anthropic-version"] !== undefined) return "anthropic";
      if (googleKey || /^\/v1(beta1?|alpha)\//.test(path) || path.includes(":")) return "google";
      return "openai";
  }
}

export function statsKind(route: Route): CallKind {
  switch (route.kind) {
    case "chat":
    case "messages":
    case "responses":
    case "embeddings":
      return route.kind;
    case "gemini":
      return route.method === "countTokens" ? "other" : "gemini";
    default:
      return "other";
  }
}

/** Gemini's own key carriers: the `x-goog-api-key` header or the `key` query parameter. */
export function googleApiKey(req: IncomingMessage, url: URL): string | null {
  const header = req.headers["x-goog-api-key"];
  if (typeof header === "string" && header.trim()) return header.trim();
  return url.searchParams.get("key")?.trim() || null;
}

export function apiKey(req: IncomingMessage, url: URL): string | null {
  const xApiKey = req.headers["x-api-key"];
  if (typeof xApiKey === "string" && xApiKey.trim()) return xApiKey.trim();
  const google = googleApiKey(req, url);
  if (google) return google;
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
  return bearer ? bearer[1].trim() : null;
}

/** The 4xx each provider answers to a missing (key null) or wrong key, in its own words. */
export function authFailure(protocol: Protocol, key: string | null, vertex: boolean): { status: number; message: string; extras?: ErrorExtras } {
  switch (protocol) {
    case "openai":
      return { status: 401, message: key === null ? "You didn't provide an API key." : `Incorrect API key provided: ***${key.slice(-4)}.` };
    case "anthropic":
      return { status: 401, message: key === null ? "x-api-key header is required" : "invalid x-api-key" };
    case "google":
      if (vertex) {
        const message =
          key === null
            ? "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential."
            : "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.";
        return { status: 401, message };
      }
      if (key === null) {
        return {
          status: 403,
          message:
            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        };
      }
      // Google answers a wrong Gemini API key with 400, not 401.
      return {
        status: 400,
        message: "API key not valid. Please pass a valid API key.",
        extras: {
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              reason: "API_KEY_INVALID",
              domain: "googleapis.com",
              metadata: { service: "generativelanguage.googleapis.com" },
            },
          ],
        },
      };
  }
}

/** Gemini's `?key=` is a secret too: recorded like the key headers, `***` + last 4 chars. */
export function redactUrl(target: string): string {
  return target.replace(/([?&]key=)([^&]*)/g, (_, name: string, value: string) => `${name}***${value.slice(-4)}`);
}
