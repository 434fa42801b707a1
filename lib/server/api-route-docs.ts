/**
 * The API reference the docs page shows, built from the one route table (api-routes.ts):
 * each route's methods and path come from there, and only its protocol and one-line
 * purpose are written here. api-route-docs.test.ts fails when a route has no line, so a
 * new endpoint cannot be missing from the docs.
 */
import { API_SURFACES, type ApiProtocol, type ApiRoute } from "./api-routes.ts";

type RouteDoc = { protocol: string; purpose: string };

/** By the route table's path (as app/api's folders spell it). */
export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  "/api/v1/chat/completions": {
    protocol: "OpenAI Chat Completions",
    purpose: "A chat completion, streamed or not, on any model, routed across providers with failover.",
  },
  "/api/v1/responses": { protocol: "OpenAI Responses", purpose: 'A model response, streamed or not, on any model (Codex CLI\'s wire_api = "responses").' },
  "/api/v1/responses/[id]": {
    protocol: "OpenAI Responses",
    purpose: "A stored response (GET), or deleting it (DELETE); kept RESPONSE_RETENTION_DAYS unless the request said store: false.",
  },
  "/api/v1/responses/[id]/input_items": {
    protocol: "OpenAI Responses",
    purpose: "The input items of a stored response, the conversation it continued included (order, limit, after).",
  },
  "/api/v1/embeddings": { protocol: "OpenAI Embeddings", purpose: "Embeddings of a string or a list of strings, billed per input token." },
  "/api/v1/models": { protocol: "OpenAI / ZenMux", purpose: "Every model with its pricings, in ZenMux's shape. Public." },
  "/api/v1/models/[...id]": { protocol: "OpenAI / ZenMux", purpose: "One model by its id (the slash kept), an alias or a bare name. Public." },
  "/api/v1/generation": {
    protocol: "Switchyard / ZenMux",
    purpose: "One call's record (?id=): client and upstream protocol, provider, attempts, tokens, cost.",
  },
  "/api/v1/management/generation": { protocol: "Switchyard / ZenMux", purpose: "The same record at ZenMux's newer path." },
  "/api/v1/management/payg/balance": { protocol: "Switchyard / ZenMux", purpose: "The key owner's prepaid balance." },
  "/api/anthropic/v1/messages": {
    protocol: "Anthropic Messages",
    purpose: "A message, streamed or not, on any model: passed through to Anthropic providers, translated for others.",
  },
  "/api/anthropic/v1/messages/count_tokens": { protocol: "Anthropic Messages", purpose: "The input token count of a Messages request." },
  "/api/anthropic/v1/models": { protocol: "Anthropic Messages", purpose: "Every model, in Anthropic's shape. Public." },
  "/api/anthropic/v1/models/[...id]": { protocol: "Anthropic Messages", purpose: "One model in Anthropic's shape, with its token limits. Public." },
  "/api/anthropic/api/hello": { protocol: "Anthropic Messages", purpose: "Claude Code's reachability probe (HEAD before it starts)." },
  "/api/anthropic": { protocol: "Anthropic Messages", purpose: "The base URL answers a probe too." },
  ...geminiRouteDocs("v1beta"),
  ...geminiRouteDocs("v1"),
};

function geminiRouteDocs(version: string): Record<string, RouteDoc> {
  const protocol = "Google Gemini";
  return {
    [`/api/vertex-ai/${version}/models`]: { protocol, purpose: "Every model generateContent can call, in Google's shape (pageSize, pageToken). Public." },
    [`/api/vertex-ai/${version}/models/[...name]`]: {
      protocol,
      purpose:
        "POST {model}:generateContent, :streamGenerateContent?alt=sse or :countTokens on any model (the slug's slash kept: models/google/gemini-2.5-pro:generateContent); GET reads the model. Gemini CLI's GOOGLE_GEMINI_BASE_URL.",
    },
    [`/api/vertex-ai/${version}/publishers/[...name]`]: {
      protocol,
      purpose: "The same at Vertex AI's express-mode path, publishers/{vendor}/models/{model}:method (@google/genai with vertexai: true).",
    },
    [`/api/vertex-ai/${version}/projects/[...name]`]: {
      protocol,
      purpose: "The same at Vertex AI's full path, projects/{p}/locations/{l}/publishers/{vendor}/models/{model}:method (project and location are ignored).",
    },
  };
}

const SURFACE_PROTOCOLS: Record<ApiProtocol, string> = { openai: "OpenAI", anthropic: "Anthropic", google: "Google Gemini" };

export type EndpointDoc = { methods: string; path: string; protocol: string; purpose: string };

/** `[id]` and `[...id]` → `{id}`, as people write a path parameter. */
export const displayPath = (path: string) => path.replace(/\[(?:\.\.\.)?(\w+)\]/g, "{$1}");

const methodsOf = (route: ApiRoute) => route.methods.flatMap((method) => (method === "GET" ? ["GET", "HEAD"] : [method])).join(", ");

/** Every client API endpoint, in the route table's order; a surface with no routes yet is shown as reserved. */
export function endpointDocs(): EndpointDoc[] {
  return API_SURFACES.flatMap((surface): EndpointDoc[] =>
    surface.routes.length === 0
      ? [
          {
            methods: "—",
            path: `${surface.prefix}/…`,
            protocol: SURFACE_PROTOCOLS[surface.protocol],
            purpose: "Reserved: every path answers a 404 in the surface's own error shape until it is served.",
          },
        ]
      : surface.routes.map((route) => {
          const doc = ROUTE_DOCS[route.path];
          return {
            methods: methodsOf(route),
            path: displayPath(route.path),
            protocol: doc?.protocol ?? SURFACE_PROTOCOLS[surface.protocol],
            purpose: doc?.purpose ?? "",
          };
        }),
  );
}

/** Outside the client APIs' prefixes. */
export const OTHER_ENDPOINTS: EndpointDoc[] = [
  { methods: "GET, HEAD", path: "/api/health", protocol: "Switchyard", purpose: "200 when the database answers (with this instance's queues), 503 otherwise." },
];
