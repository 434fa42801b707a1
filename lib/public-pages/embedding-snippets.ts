/** Ready-to-copy embeddings calls for an embedding model's page: curl, Python and TypeScript `openai`. */
import type { Snippet } from "./model-snippets.ts";

export function embeddingSnippets(origin: string, slug: string): Snippet[] {
  return [
    {
      group: "curl",
      label: "curl",
      code: `curl ${origin}/api/v1/embeddings \\
  -H "Authorization: Bearer $SWITCHYARD_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${slug}", "input": ["first text", "second text"]}'`,
    },
    {
      group: "sdk",
      label: "Python (openai)",
      code: `import os
from openai import OpenAI

client = OpenAI(base_url="${origin}/api/v1", api_key=os.environ["SWITCHYARD_API_KEY"])
result = client.embeddings.create(model="${slug}", input=["first text", "second text"])
print(len(result.data[0].embedding), result.usage.prompt_tokens)`,
    },
    {
      group: "sdk",
      label: "TypeScript (openai)",
      code: `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${origin}/api/v1", apiKey: process.env.SWITCHYARD_API_KEY });
const result = await client.embeddings.create({ model: "${slug}", input: ["first text", "second text"] });
console.log(result.data[0].embedding.length, result.usage.prompt_tokens);`,
    },
  ];
}
