import type { Metadata } from "next";
import { headers } from "next/headers";
import { CodeBlock } from "@/components/code-block";
import { publicOrigin } from "@/lib/http/public-base-url";
import { DataTable } from "@/components/ui/data-table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API docs" };

/** Mirrors the README's "API" section; keep the two in step. */
const ENDPOINTS: { method: string; path: string; what: string; available: boolean }[] = [
  { method: "GET", path: "/api/v1/models", what: "Model list in ZenMux's shape, with tiered pricings. Public.", available: true },
  { method: "GET", path: "/api/anthropic/v1/models", what: "Model list in Anthropic's shape. Public.", available: true },
  { method: "GET", path: "/api/health", what: "200 when the database is reachable, 503 otherwise.", available: true },
  { method: "POST", path: "/api/v1/chat/completions", what: "OpenAI Chat Completions, streamed or not, routed across providers with failover.", available: true },
  { method: "POST", path: "/api/v1/embeddings", what: "OpenAI embeddings on embedding models (output_modalities [\"embedding\"]), billed per input token.", available: true },
  { method: "POST", path: "/api/anthropic/v1/messages", what: "Anthropic Messages, streamed or not, on any model (translated when needed).", available: true },
  { method: "POST", path: "/api/anthropic/v1/messages/count_tokens", what: "Token count for a Messages request.", available: true },
  { method: "GET", path: "/api/v1/generation?id=", what: "One call's record: provider, attempts, tokens, cost. Needs a key.", available: true },
];

export default async function DocsPage() {
  const origin = publicOrigin(await headers());
  return (
    <main className="mx-auto max-w-4xl px-4 py-10">
      <h1 className="text-2xl font-semibold">API docs</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">
        Switchyard speaks the OpenAI Chat Completions API under <code className="font-mono">{origin}/api/v1</code> and the
        Anthropic Messages API under <code className="font-mono">{origin}/api/anthropic</code>. Authenticate with{" "}
        <code className="font-mono">Authorization: Bearer &lt;key&gt;</code> or <code className="font-mono">x-api-key</code>.
        The README&apos;s &quot;API&quot; section is the full reference.
      </p>

      <h2 className="mt-10 text-lg font-semibold">Endpoints</h2>
      <div className="mt-3">
      <DataTable columns={[{ label: "Endpoint" }, { label: "What" }, { label: "Status" }]}>
            {ENDPOINTS.map((e) => (
              <tr key={e.path}>
                <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">
                  {e.method} {e.path}
                </td>
                <td className="px-3 py-2">{e.what}</td>
                <td className="px-3 py-2">{e.available ? "available" : "in development"}</td>
              </tr>
            ))}
      </DataTable>
      </div>

      <h2 className="mt-10 text-lg font-semibold">Clients</h2>
      <div className="mt-3 grid gap-4">
        <CodeBlock
          label="TypeScript — openai"
          code={`import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${origin}/api/v1", apiKey: process.env.SWITCHYARD_API_KEY });
const completion = await client.chat.completions.create({
  model: "openai/gpt-4o-mini",            // vendor/model, an alias, or model:provider to pin one provider
  messages: [{ role: "user", content: "Hello" }],
});`}
        />
        <CodeBlock
          label="Python — openai"
          code={`from openai import OpenAI

client = OpenAI(base_url="${origin}/api/v1", api_key=os.environ["SWITCHYARD_API_KEY"])
client.chat.completions.create(model="deepseek/deepseek-chat", messages=[{"role": "user", "content": "Hello"}])`}
        />
        <CodeBlock
          label="TypeScript — @anthropic-ai/sdk"
          code={`import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ baseURL: "${origin}/api/anthropic", apiKey: process.env.SWITCHYARD_API_KEY });
await client.messages.create({ model: "anthropic/claude-sonnet-4.5", max_tokens: 1024, messages: [{ role: "user", content: "Hello" }] });`}
        />
        <CodeBlock
          label="Claude Code"
          code={`export ANTHROPIC_BASE_URL=${origin}/api/anthropic
export ANTHROPIC_API_KEY=<your Switchyard key>
claude`}
        />
      </div>
    </main>
  );
}
