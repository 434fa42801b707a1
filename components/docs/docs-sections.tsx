/**
 * The API docs page's sections (app/(site)/docs/page.tsx), rendered on the server from
 * this instance's origin, its example model and the route table.
 */
import Link from "next/link";
import { CodeBlock } from "@/components/code-block";
import { DataTable } from "@/components/ui/data-table";
import type { apiBases, ClientBaseUrl } from "@/lib/public-pages/client-base-urls";
import type { EndpointDoc } from "@/lib/server/api-route-docs";

type Bases = ReturnType<typeof apiBases>;

export function DocsIntro({ base, model, callable, geminiServed }: { base: Bases; model: string; callable: boolean; geminiServed: boolean }) {
  return (
    <>
      <h1 className="text-2xl font-semibold">API docs</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">
        Switchyard speaks {geminiServed ? "four" : "three"} client protocols over one catalog: OpenAI Chat Completions and Responses under{" "}
        <code className="break-all font-mono">{base.openai}</code>, Anthropic Messages under <code className="break-all font-mono">{base.anthropic}</code>
        {geminiServed ? (
          <>
            {" "}
            and Google Gemini under <code className="break-all font-mono">{base.google}</code>
          </>
        ) : null}
        . Any model can be called in any of them; the gateway translates when the provider speaks another. Authenticate with{" "}
        <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>, <code className="font-mono">x-api-key</code>
        {geminiServed ? (
          <>
            {" "}
            or (Gemini) <code className="font-mono">x-goog-api-key</code>
          </>
        ) : null}
        ; create a key under{" "}
        <Link href="/keys" className="text-teal-700 hover:underline dark:text-teal-400">
          API keys
        </Link>{" "}
        once signed in.
      </p>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        The calls below use{" "}
        <Link href={`/models/${model}`} className="font-mono text-teal-700 hover:underline dark:text-teal-400">
          {model}
        </Link>
        {callable
          ? ", which this instance can serve now"
          : ": no provider has a credential yet, so an admin adds one under Admin → Providers before calls are answered"}
        . Any model of the{" "}
        <Link href="/models" className="text-teal-700 hover:underline dark:text-teal-400">
          catalog
        </Link>{" "}
        works the same way; its page has these calls ready for it.
      </p>
    </>
  );
}

export function DocsTables({ baseUrls, endpoints }: { baseUrls: ClientBaseUrl[]; endpoints: EndpointDoc[] }) {
  return (
    <>
      <h2 className="mt-10 text-lg font-semibold">Base URLs</h2>
      <div className="mt-3">
        <DataTable caption="Base URLs" columns={[{ label: "Client" }, { label: "Protocol" }, { label: "Base URL" }, { label: "Where it goes" }]}>
          {baseUrls.map((c) => (
            <tr key={c.client}>
              <td className="px-3 py-2">{c.client}</td>
              <td className="px-3 py-2">{c.protocols}</td>
              <td className="break-all px-3 py-2 font-mono text-xs">{c.baseUrl}</td>
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
              <td className="break-all px-3 py-2 font-mono text-xs">{e.path}</td>
              <td className="px-3 py-2">{e.protocol}</td>
              <td className="px-3 py-2">{e.purpose || "—"}</td>
            </tr>
          ))}
        </DataTable>
      </div>
    </>
  );
}

export function DocsClients({ base, model, geminiServed }: { base: Bases; model: string; geminiServed: boolean }) {
  return (
    <>
      <h2 className="mt-10 text-lg font-semibold">Clients</h2>
      <div className="mt-3 grid min-w-0 gap-4">
        <ApiClientSnippets base={base} model={model} geminiServed={geminiServed} />
        <CodingAgentSnippets base={base} model={model} geminiServed={geminiServed} />
      </div>
    </>
  );
}

function ApiClientSnippets({ base, model, geminiServed }: { base: Bases; model: string; geminiServed: boolean }) {
  return (
    <>
      <CodeBlock
        label="curl — OpenAI Chat Completions"
        code={`curl ${base.openai}/chat/completions \\
  -H "Authorization: Bearer $SWITCHYARD_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello"}]}'`}
      />
      <CodeBlock
        label="TypeScript — openai"
        code={`import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${base.openai}", apiKey: process.env.SWITCHYARD_API_KEY });
const completion = await client.chat.completions.create({
  model: "${model}", // vendor/model, an alias, or model:provider to pin one provider
  messages: [{ role: "user", content: "Hello" }],
});
const response = await client.responses.create({ model: "${model}", input: "Hello" });`}
      />
      <CodeBlock
        label="Python — openai"
        code={`import os
from openai import OpenAI

client = OpenAI(base_url="${base.openai}", api_key=os.environ["SWITCHYARD_API_KEY"])
client.chat.completions.create(model="${model}", messages=[{"role": "user", "content": "Hello"}])`}
      />
      <CodeBlock
        label="TypeScript — @anthropic-ai/sdk"
        code={`import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ baseURL: "${base.anthropic}", apiKey: process.env.SWITCHYARD_API_KEY });
await client.messages.create({ model: "${model}", max_tokens: 1024, messages: [{ role: "user", content: "Hello" }] });`}
      />
      <CodeBlock
        label="TypeScript — Vercel AI SDK"
        code={`import { createOpenAI } from "@ai-sdk/openai";
import { generateText } from "ai";

const switchyard = createOpenAI({ baseURL: "${base.openai}", apiKey: process.env.SWITCHYARD_API_KEY });
const { text } = await generateText({ model: switchyard.chat("${model}"), prompt: "Hello" });`}
      />
      {geminiServed ? (
        <CodeBlock
          label="TypeScript — @google/genai"
          code={`import { GoogleGenAI } from "@google/genai";

const ai = new GoogleGenAI({ apiKey: process.env.SWITCHYARD_API_KEY, httpOptions: { baseUrl: "${base.google}", apiVersion: "v1beta" } });
const response = await ai.models.generateContent({ model: "${model}", contents: "Hello" });`}
        />
      ) : null}
    </>
  );
}

function CodingAgentSnippets({ base, model, geminiServed }: { base: Bases; model: string; geminiServed: boolean }) {
  return (
    <>
      <CodeBlock
        label="Claude Code"
        code={`export ANTHROPIC_BASE_URL=${base.anthropic}
export ANTHROPIC_API_KEY=<your Switchyard key>
claude --model ${model}`}
      />
      <CodeBlock
        label="Codex CLI — ~/.codex/config.toml"
        code={`model_provider = "switchyard"
model = "${model}"

[model_providers.switchyard]
name = "Switchyard"
base_url = "${base.openai}"
env_key = "SWITCHYARD_API_KEY"
wire_api = "responses"`}
      />
      {geminiServed ? (
        <CodeBlock
          label="Gemini CLI"
          code={`export GOOGLE_GEMINI_BASE_URL=${base.google}
export GEMINI_API_KEY=<your Switchyard key>
gemini --model ${model}   # with ~/.gemini/settings.json: {"security":{"auth":{"selectedType":"gemini-api-key"}}}`}
        />
      ) : null}
    </>
  );
}
