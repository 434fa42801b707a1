/**
 * Which paths the client APIs have, in one place: the node door serves the generation
 * paths from it, and both doors answer every other path under an API prefix from it
 * (404 for an unknown path, 405 with `Allow` for a known one, in the surface's error
 * shape; lib/server/api-edges.ts). Paths are written as app/api's folders spell them, so
 * a test can hold this table and the route files to each other (api-routes.test.ts).
 */

/** The client protocols, by the error shape a surface answers in. */
export type ApiProtocol = "openai" | "anthropic" | "google";

/** The generation handlers the node door serves on node:http (lib/server/gateway.ts). */
export type CoreRouteName = "chat" | "messages" | "responses" | "embeddings" | "countTokens" | "gemini";

export type ApiRoute = {
  /** as app/api's folders spell it; `[name]` matches one segment, `[...name]` one or more */
  readonly path: string;
  readonly methods: readonly ("GET" | "POST" | "DELETE")[];
  /** its POST is served by this core handler on node:http by the node door; every other method (and everything without it) by Next's route handler */
  readonly core?: CoreRouteName;
  /** answered by api-edges.ts itself: a reachability probe (200, JSON) */
  readonly probe?: true;
};

export type ApiSurface = { readonly prefix: string; readonly protocol: ApiProtocol; readonly routes: readonly ApiRoute[] };

export const API_SURFACES: readonly ApiSurface[] = [
  {
    prefix: "/api/v1",
    protocol: "openai",
    routes: [
      { path: "/api/v1/chat/completions", methods: ["POST"], core: "chat" },
      { path: "/api/v1/responses", methods: ["POST"], core: "responses" },
      { path: "/api/v1/responses/[id]", methods: ["GET", "DELETE"] },
      { path: "/api/v1/responses/[id]/input_items", methods: ["GET"] },
      { path: "/api/v1/embeddings", methods: ["POST"], core: "embeddings" },
      { path: "/api/v1/models", methods: ["GET"] },
      { path: "/api/v1/models/[...id]", methods: ["GET"] },
      { path: "/api/v1/generation", methods: ["GET"] },
      { path: "/api/v1/management/generation", methods: ["GET"] },
      { path: "/api/v1/management/payg/balance", methods: ["GET"] },
    ],
  },
  {
    prefix: "/api/anthropic",
    protocol: "anthropic",
    routes: [
      { path: "/api/anthropic/v1/messages", methods: ["POST"], core: "messages" },
      { path: "/api/anthropic/v1/messages/count_tokens", methods: ["POST"], core: "countTokens" },
      { path: "/api/anthropic/v1/models", methods: ["GET"] },
      { path: "/api/anthropic/v1/models/[...id]", methods: ["GET"] },
      // Claude Code's preconnect: `HEAD ${ANTHROPIC_BASE_URL}/api/hello`; and the base URL itself.
      { path: "/api/anthropic/api/hello", methods: ["GET"], probe: true },
      { path: "/api/anthropic", methods: ["GET"], probe: true },
    ],
  },
  {
    prefix: "/api/vertex-ai",
    protocol: "google",
    // The model is in the path (gemini-path.ts): the Gemini API's models/{model}, and Vertex AI's
    // publishers/{publisher}/models/{model} (express mode) and projects/…/publishers/…/models/{model}.
    // POST …:generateContent | :streamGenerateContent | :countTokens; GET reads the model.
    routes: (["v1beta", "v1"] as const).flatMap((version): ApiRoute[] => [
      { path: `/api/vertex-ai/${version}/models`, methods: ["GET"] },
      { path: `/api/vertex-ai/${version}/models/[...name]`, methods: ["GET", "POST"], core: "gemini" },
      { path: `/api/vertex-ai/${version}/publishers/[...name]`, methods: ["GET", "POST"], core: "gemini" },
      { path: `/api/vertex-ai/${version}/projects/[...name]`, methods: ["GET", "POST"], core: "gemini" },
    ]),
  },
];

/** Whether any route of this protocol's surface is served (a surface with no routes is reserved: JSON 404s only). */
export function surfaceServes(protocol: ApiProtocol): boolean {
  return API_SURFACES.some((surface) => surface.protocol === protocol && surface.routes.length > 0);
}

export type ApiPathMatch = { surface: ApiSurface; route: ApiRoute | null };

/** The surface a path belongs to and the route it names (null: none), or null for a path outside the client APIs. */
export function matchApiPath(path: string): ApiPathMatch | null {
  const surface = API_SURFACES.find((s) => path === s.prefix || path.startsWith(`${s.prefix}/`));
  if (!surface) return null;
  const segments = path.split("/");
  return { surface, route: surface.routes.find((route) => segmentsMatch(route.path.split("/"), segments)) ?? null };
}

function segmentsMatch(pattern: readonly string[], segments: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith("[...")) return segments.length > i && segments.slice(i).every((s) => s !== "");
    if (pattern[i].startsWith("[")) {
      if (segments[i] === undefined || segments[i] === "") return false;
    } else if (pattern[i] !== segments[i]) return false;
  }
  return segments.length === pattern.length;
}

/** The methods a route answers: HEAD with GET (as Next's route handlers do), and OPTIONS on every route. */
export function allowedMethods(route: ApiRoute): string[] {
  return [...route.methods.flatMap((method) => (method === "GET" ? ["GET", "HEAD"] : [method])), "OPTIONS"];
}
