/**
 * The client APIs' edges, answered the same by both doors: an unknown path under
 * /api/v1, /api/anthropic or /api/vertex-ai is a 404 and a known path with the wrong
 * method a 405 with `Allow`, as JSON in that surface's error shape (never Next's HTML
 * page or empty 405, which the SDKs print as noise); OPTIONS lists a route's methods;
 * Claude Code's reachability probes get a 200. The node door calls apiEdgeAnswer before
 * handing a request to Next; the Web door reaches handleApiEdge through the catch-all
 * routes (app/api/{v1,anthropic,vertex-ai}/[[...rest]]) and the wrong-method exports of
 * the API's route files.
 */
import { GatewayError } from "../gateway/errors.ts";
import type { Answer } from "../gateway/exchange.ts";
import { anthropicErrorAnswer } from "../gateway/protocols/anthropic-messages/errors.ts";
import { googleErrorAnswer } from "../gateway/protocols/google-gemini/errors.ts";
import { openAiErrorAnswer } from "../gateway/protocols/openai-chat/errors.ts";
import { allowedMethods, matchApiPath, type ApiProtocol, type ApiRoute } from "./api-routes.ts";
import { responseOfAnswer } from "./web-door.ts";

/** The methods Next's route handlers can export; others are left to Next in both doors. */
const ROUTE_HANDLER_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const SHOWN_PATH_CHARS = 200;

export function surfaceErrorAnswer(protocol: ApiProtocol, error: GatewayError, headers: Record<string, string> = {}): Answer {
  switch (protocol) {
    case "openai":
      return openAiErrorAnswer(error, headers);
    case "anthropic":
      return anthropicErrorAnswer(error, headers);
    case "google":
      return googleErrorAnswer(error, headers);
  }
}

function shown(path: string): string {
  return path.length > SHOWN_PATH_CHARS ? `${path.slice(0, SHOWN_PATH_CHARS)}…` : path;
}

function decodable(path: string): boolean {
  if (!path.includes("%")) return true;
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function probeAnswer(): Answer {
  const body = JSON.stringify({ ok: true, api: "anthropic-messages" });
  return { status: 200, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }, body };
}

function routeAnswer(protocol: ApiProtocol, route: ApiRoute, method: string, path: string): Answer | null {
  const allowed = allowedMethods(route);
  const allow = allowed.join(", ");
  if (method === "OPTIONS") return { status: 204, headers: { allow, "cache-control": "no-store" }, body: null };
  if (!allowed.includes(method)) {
    return surfaceErrorAnswer(protocol, new GatewayError(405, "method_not_allowed", `Method ${method} is not allowed on ${shown(path)}; it answers ${allow}`), {
      allow,
    });
  }
  return route.probe ? probeAnswer() : null;
}

/**
 * The answer for a request under an API prefix that no route handler serves, or null
 * when one does (a generation path, a model list, …) or the path is not an API path.
 * A path ending in "/" is left to Next, which redirects it to the path without it.
 */
export function apiEdgeAnswer(method: string, path: string): Answer | null {
  if (path.length > 1 && path.endsWith("/")) return null;
  if (!ROUTE_HANDLER_METHODS.has(method)) return null;
  const match = matchApiPath(path);
  if (!match) return null;
  const { surface, route } = match;
  // Next cannot decode such a path and answers 500 text/plain before any handler runs;
  // the node door can still say what is wrong, in the surface's shape.
  if (!decodable(path))
    return surfaceErrorAnswer(surface.protocol, new GatewayError(400, "invalid_params", `The path ${shown(path)} has a malformed percent-encoding`));
  if (route) return routeAnswer(surface.protocol, route, method, path);
  return surfaceErrorAnswer(
    surface.protocol,
    new GatewayError(404, "not_found", `Unknown API path ${shown(path)}: see the API reference in the README for the paths this gateway serves`),
  );
}

/** The Web door's edge handler, re-exported by the catch-all routes and for the wrong methods of each API route file. */
export async function handleApiEdge(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  const answer = apiEdgeAnswer(request.method, path);
  if (answer) return responseOfAnswer(answer);
  // Reached only if a route file and api-routes.ts disagree (api-routes.test.ts checks they don't).
  const match = matchApiPath(path);
  return responseOfAnswer(surfaceErrorAnswer(match?.surface.protocol ?? "openai", new GatewayError(404, "not_found", `Unknown API path ${shown(path)}`)));
}
