/**
 * Where each kind of client points to reach this instance: one list for the docs page and
 * the model pages' snippets, so the two never disagree. `origin` is the deployment's own
 * (lib/http/public-base-url.ts).
 */
export type ClientBaseUrl = { client: string; protocols: string; baseUrl: string; setting: string };

export const apiBases = (origin: string) => ({
  openai: `${origin}/api/v1`,
  anthropic: `${origin}/api/anthropic`,
  google: `${origin}/api/vertex-ai`,
});

/** `geminiServed`: see modelSnippets; without the Gemini surface, its clients have nowhere to point. */
export function clientBaseUrls(origin: string, { geminiServed }: { geminiServed: boolean }): ClientBaseUrl[] {
  const base = apiBases(origin);
  const all = [
    {
      client: "OpenAI SDKs (openai for Python, TypeScript, …)",
      protocols: "Chat Completions, Responses, Embeddings",
      baseUrl: base.openai,
      setting: "base_url / baseURL",
    },
    { client: "Anthropic SDKs (anthropic, @anthropic-ai/sdk)", protocols: "Messages", baseUrl: base.anthropic, setting: "base_url / baseURL" },
    {
      client: "Google Gen AI SDKs (google-genai, @google/genai)",
      protocols: "Gemini generateContent",
      baseUrl: base.google,
      setting: "http_options.base_url / httpOptions.baseUrl, with vertexai and api version v1",
    },
    { client: "Claude Code", protocols: "Messages", baseUrl: base.anthropic, setting: "ANTHROPIC_BASE_URL" },
    { client: "Codex CLI", protocols: "Responses", baseUrl: base.openai, setting: 'base_url in ~/.codex/config.toml, wire_api = "responses"' },
    { client: "Gemini CLI", protocols: "Gemini generateContent", baseUrl: base.google, setting: "GOOGLE_GEMINI_BASE_URL" },
  ];
  return geminiServed ? all : all.filter((entry) => entry.baseUrl !== base.google);
}
