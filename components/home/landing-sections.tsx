/** The landing page's sections (app/(site)/page.tsx): the hero with the catalog's numbers, what the gateway does, and a first call. */
import Link from "next/link";
import { CodeBlock } from "@/components/code-block";
import type { summariseCatalog } from "@/lib/catalog/catalog-summary";
import { formatQuantity } from "@/lib/format/quantity";
import type { ExampleModel } from "@/lib/public-pages/example-model";

type CatalogSummary = ReturnType<typeof summariseCatalog>;

const FEATURES = [
  {
    title: "One key, one base URL",
    body: "Call every model in the catalog with the OpenAI, Anthropic or Google SDKs you already use. Change the base URL; keep your code.",
  },
  {
    title: "Several providers per model",
    body: "Each request goes to the provider with the lowest recent time to first token, or by price, throughput, your own order, or a model:provider pin.",
  },
  {
    title: "Failover before the first byte",
    body: "A provider that is down, slow or rate-limited is skipped before your client sees anything; you see which one served each call.",
  },
  {
    title: "Metered and billed exactly",
    body: "Every call is metered from the provider's usage, priced from tiered list prices, and charged to a prepaid balance.",
  },
  {
    title: "Four protocols, translated",
    body: "OpenAI Chat Completions and Responses, Anthropic Messages and Google Gemini, translated among each other, so Claude Code, Codex CLI, Gemini CLI and Cursor can use any model.",
  },
  { title: "On your machines", body: "An embedded SQLite database by default, PostgreSQL and Redis when you grow. Your keys and logs never leave." },
];

export function LandingHero({ summary }: { summary: CatalogSummary }) {
  return (
    <section className="py-16 sm:py-24">
      <p className="text-sm font-medium text-teal-700 dark:text-teal-400">Self-hosted LLM API gateway</p>
      <h1 className="mt-3 max-w-3xl text-4xl font-semibold tracking-tight sm:text-5xl">Every model, every provider, behind one API key.</h1>
      <p className="mt-5 max-w-2xl text-lg text-zinc-600 dark:text-zinc-400">
        Switchyard routes each request to the best provider for the model you ask for, fails over when one is down, streams the answer through, and meters and
        bills every call, on your own machines.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        <Link href="/models" className="rounded-md bg-teal-700 px-4 py-2 font-medium text-white hover:bg-teal-800">
          Browse {formatQuantity(summary.models, "model")}
        </Link>
        <Link href="/login" className="rounded-md border border-zinc-300 px-4 py-2 font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900">
          Sign in
        </Link>
        <Link href="/docs" className="rounded-md px-4 py-2 font-medium text-teal-700 hover:underline dark:text-teal-400">
          Read the API docs →
        </Link>
      </div>
      <dl className="mt-10 flex flex-wrap gap-x-10 gap-y-3 text-sm text-zinc-600 dark:text-zinc-400">
        <div>
          <dt className="inline">Models </dt>
          <dd className="inline font-semibold text-zinc-900 dark:text-zinc-100">{summary.models}</dd>
        </div>
        <div>
          <dt className="inline">Vendors </dt>
          <dd className="inline font-semibold text-zinc-900 dark:text-zinc-100">{summary.vendors}</dd>
        </div>
        <div>
          <dt className="inline">Providers </dt>
          <dd className="inline font-semibold text-zinc-900 dark:text-zinc-100">{summary.providers}</dd>
        </div>
      </dl>
    </section>
  );
}

export function FeatureGrid() {
  return (
    <section aria-labelledby="features" className="grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
      <h2 id="features" className="sr-only">
        What it does
      </h2>
      {FEATURES.map((feature) => (
        <div key={feature.title} className="rounded-lg border border-zinc-200 p-5 dark:border-zinc-800">
          <h3 className="font-semibold">{feature.title}</h3>
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{feature.body}</p>
        </div>
      ))}
    </section>
  );
}

export function TryItSection({ origin, example }: { origin: string; example: ExampleModel }) {
  const curl = `curl ${origin}/api/v1/chat/completions \\
  -H "Authorization: Bearer $SWITCHYARD_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${example.slug}", "messages": [{"role": "user", "content": "Hello"}]}'`;
  return (
    <section aria-labelledby="try" className="mt-16">
      <h2 id="try" className="text-xl font-semibold">
        Try it
      </h2>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Point any OpenAI-compatible client at <code className="font-mono">{origin}/api/v1</code>, or an Anthropic client at{" "}
        <code className="font-mono">{origin}/api/anthropic</code>, or a Google Gen AI client at <code className="font-mono">{origin}/api/vertex-ai</code>.
        {example.callable ? null : " No provider has a credential yet: an admin adds one under Admin → Providers before a call can be answered."}
      </p>
      <div className="mt-4">
        <CodeBlock label="curl" code={curl} />
      </div>
    </section>
  );
}
