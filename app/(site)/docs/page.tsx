import type { Metadata } from "next";
import { headers } from "next/headers";
import { CodeBlock } from "@/components/code-block";
import { DataTable } from "@/components/ui/data-table";
import { apiBases, clientBaseUrls } from "@/lib/catalog/client-base-urls";
import { publicOrigin } from "@/lib/http/public-base-url";
import { endpointDocs, OTHER_ENDPOINTS } from "@/lib/server/api-route-docs";
import { surfaceServes } from "@/lib/server/api-routes";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API docs" };

export default async function DocsPage() {
  const origin = publicOrigin(await headers());
  const base = apiBases(origin);
  // Until the Gemini client surface is served, the page offers no Gemini-protocol call (each would answer 404).
  const geminiServed = surfaceServes("google");
  // Rendered from the route table the server answers from (lib/server/api-routes.ts): it cannot list a path that is not served.
  const endpoints = [...endpointDocs(), ...OTHER_ENDPOINTS];
  return (
    <main className="mx-auto max-w-5xl px-4 py-10">
      <h1 className="text-2xl font-semibold">API docs</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">
        {geminiServed ? (
          <>
            Switchyard speaks four client protocols over one catalog: OpenAI Chat Completions and Responses under <code className="font-mono">{base.openai}</code>, Anthropic
            Messages under <code className="font-mono">{base.anthropic}</code> and Google Gemini under <code className="font-mono">{base.google}</code>.
          </>
        ) : (
          <>
            Switchyard speaks three client protocols over one catalog: OpenAI Chat Completions and Responses under <code className="font-mono">{base.openai}</code> and
            Anthropic Messages under <code className="font-mono">{base.anthropic}</code>. The Google Gemini client surface (<code className="font-mono">{base.google}</code>) is
            not served yet: it answers a JSON 404 in Google&apos;s error shape. Gemini models are callable through the other protocols.
          </>
        )}{" "}
        Any model can be called in any of them; the gateway translates when the provider speaks another. Authenticate with{" "}
        <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>
        {geminiServed ? ", " : " or "}
        <code className="font-mono">x-api-key</code>
        {geminiServed ? (
          <>
            {" "}or (Gemini) <code className="font-mono">x-goog-api-key</code>
          </>
        ) : null}
        . The README&apos;s &quot;API&quot; section is the full reference.
      </p>

      <h2 className="mt-10 text-lg font-semibold">Base URLs</h2>
      <div className="mt-3">
        <DataTable caption="Base URLs" columns={[{ label: "Client" }, { label: "Protocol" }, { label: "Base URL" }, { label: "Where it goes" }]}>
          {clientBaseUrls(origin, { geminiServed }).map((c) => (
            <tr key={c.client}>
              <td className="px-3 py-2">{c.client}</td>
              <td className="px-3 py-2">{c.protocols}</td>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{c.baseUrl}</td>
              <td className="px-3 py-2 text-xs">{c.setting}</td>
            </tr>
          ))}
        </DataTable>
      </div>

      <h2 className="mt-10 text-lg font-semibold">Endpoints</h2>
      <div className="mt-3">
        <DataTable caption="Endpoints" columns={[{ label: "Method" }, { label: "Path" }, { label: "Protocol" }, { label: "Purpose" }]}>
          {endpoints.map((e) => (
            <tr key={e.path}>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{e.methods}</td>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{e.path}</td>
              <td className="whitespace-nowrap px-3 py-2">{e.protocol}</td>
              <td className="px-3 py-2">{e.purpose || "—"}</td>
            </tr>
          ))}
        </DataTable>
      </div>

      <h2 className="mt-10 text-lg font-semibold">Clients</h2>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Each model&apos;s page has these calls ready for that model, in every protocol.</p>
      <div className="mt-3 grid gap-4">
        <CodeBlock
          label="TypeScript — openai"
          code={`import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${base.openai}", apiKey: process.env.SWITCHYARD_API_KEY });
const completion = await client.chat.completions.create({
  model: "openai/gpt-4o-mini",            // vendor/model, an alias, or model:provider to pin one provider
  messages: [{ role: "user", content: "Hello" }],
});
const response = await client.responses.create({ model: "anthropic/claude-sonnet-4.5", input: "Hello" });`}
        />
        <CodeBlock
          label="Python — openai"
          code={`from openai import OpenAI

client = OpenAI(base_url="${base.openai}", api_key=os.environ["SWITCHYARD_API_KEY"])
client.chat.completions.create(model="deepseek/deepseek-chat", messages=[{"role": "user", "content": "Hello"}])`}
        />
        <CodeBlock
          label="TypeScript — @anthropic-ai/sdk"
          code={`import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ baseURL: "${base.anthropic}", apiKey: process.env.SWITCHYARD_API_KEY });
await client.messages.create({ model: "anthropic/claude-sonnet-4.5", max_tokens: 1024, messages: [{ role: "user", content: "Hello" }] });`}
        />
        {geminiServed ? (
          <CodeBlock
            label="TypeScript — @google/genai"
            code={`import { GoogleGenAI } from "@google/genai";

const ai = new GoogleGenAI({ apiKey: process.env.SWITCHYARD_API_KEY, vertexai: true, httpOptions: { baseUrl: "${base.google}", apiVersion: "v1" } });
const response = await ai.models.generateContent({ model: "google/gemini-2.5-pro", contents: "Hello" });`}
          />
        ) : null}
        <CodeBlock
          label="Claude Code"
          code={`export ANTHROPIC_BASE_URL=${base.anthropic}
export ANTHROPIC_API_KEY=<your Switchyard key>
claude`}
        />
        <CodeBlock
          label="Codex CLI — ~/.codex/config.toml"
          code={`model_provider = "switchyard"
model = "anthropic/claude-sonnet-4.5"

[model_providers.switchyard]
name = "Switchyard"
base_url = "${base.openai}"
env_key = "SWITCHYARD_API_KEY"
wire_api = "responses"`}
        />
        {geminiServed ? <CodeBlock label="Gemini CLI" code={`GOOGLE_GEMINI_BASE_URL=${base.google} GEMINI_API_KEY=<your Switchyard key> gemini`} /> : null}
      </div>
    </main>
  );
}
