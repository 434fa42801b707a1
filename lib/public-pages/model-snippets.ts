/**
 * Ready-to-copy calls for a model page, in each protocol the gateway speaks: the SDKs (the
 * Vercel AI SDK through its OpenAI provider's Chat Completions),
 * curl for each protocol, and the coding agents' setup (Claude Code, Codex CLI, Gemini CLI).
 * Every URL is the deployment's own origin (lib/http/public-base-url.ts).
 */
import { apiBases } from "./client-base-urls.ts";

export type SnippetGroup = "sdk" | "curl" | "agent";
export type Snippet = { group: SnippetGroup; label: string; code: string };

export const SNIPPET_GROUPS: { id: SnippetGroup; title: string }[] = [
  { id: "sdk", title: "SDKs" },
  { id: "curl", title: "curl" },
  { id: "agent", title: "Coding agents" },
];

/**
 * `geminiServed`: whether this build serves the Gemini client surface under /api/vertex-ai
 * (`surfaceServes("google")` in lib/server/api-routes.ts). Until it does, the page offers no
 * Gemini-protocol call: each would answer 404.
 */
export function modelSnippets(origin: string, slug: string, pinProvider: string | null, { geminiServed }: { geminiServed: boolean }): Snippet[] {
  return allSnippets(origin, slug, pinProvider)
    .filter((snippet) => geminiServed || !snippet.gemini)
    .map(({ group, label, code }) => ({ group, label, code }));
}

function allSnippets(origin: string, slug: string, pinProvider: string | null): (Snippet & { gemini?: true })[] {
  const base = apiBases(origin);
  const pinned = pinProvider ? `${slug}:${pinProvider}` : null;
  const auth = `-H "Authorization: Bearer $SWITCHYARD_API_KEY" \\
  -H "Content-Type: application/json"`;
  return [
    {
      group: "sdk",
      label: "Python (openai) — Chat Completions",
      code: `import os
from openai import OpenAI

client = OpenAI(base_url="${base.openai}", api_key=os.environ["SWITCHYARD_API_KEY"])
answer = client.chat.completions.create(
    model="${slug}",${pinned ? `  # or "${pinned}" to use only ${pinProvider}` : ""}
    messages=[{"role": "user", "content": "Hello"}],
)
print(answer.choices[0].message.content)`,
    },
    {
      group: "sdk",
      label: "TypeScript (openai) — Chat Completions",
      code: `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${base.openai}", apiKey: process.env.SWITCHYARD_API_KEY });
const answer = await client.chat.completions.create({
  model: "${slug}",${pinned ? ` // or "${pinned}" to use only ${pinProvider}` : ""}
  messages: [{ role: "user", content: "Hello" }],
});
console.log(answer.choices[0].message.content);`,
    },
    {
      group: "sdk",
      label: "TypeScript (openai) — Responses",
      code: `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${base.openai}", apiKey: process.env.SWITCHYARD_API_KEY });
const response = await client.responses.create({
  model: "${slug}",${pinned ? ` // or "${pinned}"` : ""}
  instructions: "Answer briefly.",
  input: "Hello",
});
console.log(response.output_text);`,
    },
    {
      group: "sdk",
      label: "TypeScript (@anthropic-ai/sdk) — Messages",
      code: `import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ baseURL: "${base.anthropic}", apiKey: process.env.SWITCHYARD_API_KEY });
const message = await client.messages.create({
  model: "${slug}",${pinned ? ` // or "${pinned}"` : ""}
  max_tokens: 1024,
  messages: [{ role: "user", content: "Hello" }],
});
console.log(message.content);`,
    },
    {
      group: "sdk",
      label: "TypeScript (Vercel AI SDK)",
      code: `import { createOpenAI } from "@ai-sdk/openai";
import { generateText } from "ai";

const switchyard = createOpenAI({ baseURL: "${base.openai}", apiKey: process.env.SWITCHYARD_API_KEY });
const { text } = await generateText({
  model: switchyard.chat("${slug}"),${pinned ? ` // or "${pinned}"` : ""}
  prompt: "Hello",
});
console.log(text);`,
    },
    {
      group: "sdk",
      gemini: true,
      label: "TypeScript (@google/genai) — Gemini",
      code: `import { GoogleGenAI } from "@google/genai";

const ai = new GoogleGenAI({
  apiKey: process.env.SWITCHYARD_API_KEY,
  vertexai: true,
  httpOptions: { baseUrl: "${base.google}", apiVersion: "v1" },
});
const response = await ai.models.generateContent({
  model: "${slug}",${pinned ? ` // or "${pinned}"` : ""}
  contents: "Hello",
});
console.log(response.text);`,
    },
    {
      group: "curl",
      label: "curl — OpenAI Chat Completions",
      code: `curl ${base.openai}/chat/completions \\
  ${auth} \\
  -d '{"model": "${slug}", "messages": [{"role": "user", "content": "Hello"}]}'${pinned ? `\n\n# only ever ${pinProvider}:\n#   "model": "${pinned}"` : ""}`,
    },
    {
      group: "curl",
      label: "curl — OpenAI Responses",
      code: `curl ${base.openai}/responses \\
  ${auth} \\
  -d '{"model": "${slug}", "input": "Hello"}'`,
    },
    {
      group: "curl",
      label: "curl — Anthropic Messages",
      code: `curl ${base.anthropic}/v1/messages \\
  -H "x-api-key: $SWITCHYARD_API_KEY" \\
  -H "anthropic-version: 2023-06-01" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${slug}", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}'`,
    },
    {
      group: "curl",
      gemini: true,
      label: "curl — Google Gemini",
      // The model's slug keeps its slash in the path, as ZenMux's does.
      code: `curl "${base.google}/v1beta/models/${slug}:generateContent" \\
  -H "x-goog-api-key: $SWITCHYARD_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"contents": [{"role": "user", "parts": [{"text": "Hello"}]}]}'`,
    },
    {
      group: "agent",
      label: "Claude Code",
      code: `export ANTHROPIC_BASE_URL=${base.anthropic}
export ANTHROPIC_API_KEY=$SWITCHYARD_API_KEY
claude --model ${slug}`,
    },
    {
      group: "agent",
      label: "Codex CLI — ~/.codex/config.toml",
      code: `model_provider = "switchyard"
model = "${slug}"

[model_providers.switchyard]
name = "Switchyard"
base_url = "${base.openai}"
env_key = "SWITCHYARD_API_KEY"
wire_api = "responses"

# then, with SWITCHYARD_API_KEY exported:  codex`,
    },
    {
      group: "agent",
      gemini: true,
      label: "Gemini CLI",
      code: `GOOGLE_GEMINI_BASE_URL=${base.google} GEMINI_API_KEY=$SWITCHYARD_API_KEY gemini --model ${slug}`,
    },
  ];
}
