/**
 * The Gemini surface carries the model and the method in the path, not the body. The
 * forms Google's SDKs and Gemini CLI send, under /api/vertex-ai/{v1,v1beta}/:
 *
 *   models/{model}:generateContent                      Gemini API (model slugs keep their slash:
 *                                                        models/google/gemini-2.5-pro:generateContent)
 *   publishers/{publisher}/models/{model}:…             Vertex AI express mode (@google/genai, vertexai: true)
 *   projects/{p}/locations/{l}/publishers/{publisher}/models/{model}:…   Vertex AI
 *
 * A Vertex publisher is the slug's owner: publishers/google/models/gemini-2.5-pro names
 * google/gemini-2.5-pro. Pure; the path as received (percent-encoded segments are decoded).
 */

export const GEMINI_PREFIX = "/api/vertex-ai";
export const GEMINI_VERSIONS = ["v1", "v1beta"] as const;

/** The methods a model path can name after its colon; GET with no method reads the model. */
export type GeminiMethod = "generateContent" | "streamGenerateContent" | "countTokens";
const METHODS = new Set<string>(["generateContent", "streamGenerateContent", "countTokens"]);

export type GeminiPath = {
  /** the catalog reference the client named (a slug, an alias or a bare model name) */
  model: string;
  /** null: no `:method` (GET reads the model); a string outside GeminiMethod: a method this gateway does not serve */
  method: string | null;
};

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The model and method a Gemini path names, or null when it names none (not a model path, or a malformed one). */
export function parseGeminiPath(path: string): GeminiPath | null {
  const version = GEMINI_VERSIONS.find((v) => path.startsWith(`${GEMINI_PREFIX}/${v}/`));
  if (!version) return null;
  const rest = path.slice(`${GEMINI_PREFIX}/${version}/`.length).split("/");
  let modelSegments: string[];
  if (rest[0] === "models") modelSegments = rest.slice(1);
  else if (rest[0] === "publishers" && rest[2] === "models") modelSegments = [rest[1], ...rest.slice(3)];
  else if (rest[0] === "projects" && rest[2] === "locations" && rest[4] === "publishers" && rest[6] === "models") modelSegments = [rest[5], ...rest.slice(7)];
  else return null;
  const joined = decoded(modelSegments.join("/"));
  if (!joined || modelSegments.some((segment) => segment === "")) return null;
  const colon = joined.lastIndexOf(":");
  const model = colon < 0 ? joined : joined.slice(0, colon);
  const method = colon < 0 ? null : joined.slice(colon + 1);
  if (model === "" || method === "") return null;
  return { model, method };
}

export function isServedGeminiMethod(method: string | null): method is GeminiMethod {
  return method !== null && METHODS.has(method);
}
