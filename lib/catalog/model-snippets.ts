/** Ready-to-copy calls for a model page: curl, Python and TypeScript `openai`, and the Anthropic SDK. */
export type Snippet = { label: string; code: string };

export function modelSnippets(origin: string, slug: string, pinProvider: string | null): Snippet[] {
  const pinned = pinProvider ? `${slug}:${pinProvider}` : null;
  return [
    {
      label: "curl",
      code: `curl ${origin}/api/v1/chat/completions \\
  -H "Authorization: Bearer $SWITCHYARD_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${slug}", "messages": [{"role": "user", "content": "Hello"}]}'${pinned ? `\n\n# only ever ${pinProvider}:\n#   "model": "${pinned}"` : ""}`,
    },
    {
      label: "Python (openai)",
      code: `import os
from openai import OpenAI

client = OpenAI(base_url="${origin}/api/v1", api_key=os.environ["SWITCHYARD_API_KEY"])
answer = client.chat.completions.create(
    model="${slug}",${pinned ? `  # or "${pinned}" to use only ${pinProvider}` : ""}
    messages=[{"role": "user", "content": "Hello"}],
)
print(answer.choices[0].message.content)`,
    },
    {
      label: "TypeScript (openai)",
      code: `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${origin}/api/v1", apiKey: process.env.SWITCHYARD_API_KEY });
const answer = await client.chat.completions.create({
  model: "${slug}",${pinned ? ` // or "${pinned}" to use only ${pinProvider}` : ""}
  messages: [{ role: "user", content: "Hello" }],
});
console.log(answer.choices[0].message.content);`,
    },
    {
      label: "TypeScript (@anthropic-ai/sdk)",
      code: `import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ baseURL: "${origin}/api/anthropic", apiKey: process.env.SWITCHYARD_API_KEY });
const message = await client.messages.create({
  model: "${slug}",${pinned ? ` // or "${pinned}"` : ""}
  max_tokens: 1024,
  messages: [{ role: "user", content: "Hello" }],
});
console.log(message.content);`,
    },
  ];
}
