/**
 * A model page's sections (app/(site)/models/[vendor]/[model]/page.tsx): its header and key
 * facts, its providers, and the ready-to-copy calls.
 */
import Link from "next/link";
import { CodeBlock } from "@/components/code-block";
import { ProviderTable } from "@/components/models/provider-table";
import { CopyButton } from "@/components/ui/copy-button";
import { FactCards } from "@/components/ui/fact-cards";
import { PageSection } from "@/components/ui/page-section";
import type { ModelView } from "@/lib/gateway/catalog-view/catalog-types";
import type { ProviderRow } from "@/lib/public-pages/model-detail";
import { SNIPPET_GROUPS, type Snippet } from "@/lib/public-pages/model-snippets";
import { formatTokens } from "@/lib/public-pages/price-format";

export function ModelHeader({ model }: { model: ModelView }) {
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <Link href="/models" className="hover:underline">
          Models
        </Link>{" "}
        / {model.vendor}
      </nav>
      <h1 className="mt-2 text-2xl font-semibold">{model.displayName}</h1>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code className="rounded bg-zinc-100 px-2 py-1 font-mono text-sm dark:bg-zinc-800">{model.slug}</code>
        <CopyButton text={model.slug} label="Copy model slug" />
      </div>
      {model.description ? <p className="mt-4 max-w-3xl text-sm text-zinc-700 dark:text-zinc-300">{model.description}</p> : null}
    </>
  );
}

export function ModelFacts({ model, rows, fastest }: { model: ModelView; rows: ProviderRow[]; fastest: string | null }) {
  const capabilities = Object.entries(model.capabilities)
    .filter(([, on]) => on)
    .map(([name]) => name);
  return (
    <FactCards
      items={[
        ["Context", `${formatTokens(model.contextLength)} tokens`],
        ["Max output", model.maxOutput ? `${formatTokens(model.maxOutput)} tokens` : "—"],
        ["Input", model.inputModalities.join(", ")],
        ["Output", model.outputModalities.join(", ")],
        ["Capabilities", capabilities.length ? capabilities.join(", ") : "—"],
        ["Aliases", model.aliases.length ? model.aliases.join(", ") : "—"],
        ["Providers", String(rows.filter((r) => r.status === "enabled").length)],
        ["Fastest now", fastest ?? "no data yet"],
      ]}
    />
  );
}

export function ModelProvidersSection({ rows }: { rows: ProviderRow[] }) {
  return (
    <PageSection
      id="providers"
      title="Providers"
      description={
        <>
          Measured by this gateway from its own traffic{rows.some((r) => r.probesLastDay > 0) ? " and health probes" : ""}: first-token latency and throughput
          over the last 5 minutes, success rates over the last 5 minutes, hour and day. By default requests go to the provider with the lowest first-token
          latency.
        </>
      }
    >
      <ProviderTable rows={rows} />
    </PageSection>
  );
}

export function ModelSnippetsSection({ snippets }: { snippets: Snippet[] }) {
  return (
    <PageSection
      id="use-it"
      title="Use it"
      description={
        <>
          In any protocol: the gateway translates when the provider speaks another. Base URLs are this deployment&apos;s; the{" "}
          <Link href="/docs" className="underline">
            API docs
          </Link>{" "}
          list every endpoint.
        </>
      }
    >
      {SNIPPET_GROUPS.filter((group) => snippets.some((s) => s.group === group.id)).map((group) => (
        <section key={group.id} aria-labelledby={`snippets-${group.id}`} className="mt-6 first:mt-0">
          <h3 id={`snippets-${group.id}`} className="mb-3 text-sm font-semibold text-zinc-700 dark:text-zinc-300">
            {group.title}
          </h3>
          <div className="grid gap-4 lg:grid-cols-2">
            {snippets
              .filter((s) => s.group === group.id)
              .map((s) => (
                <CodeBlock key={s.label} label={s.label} code={s.code} />
              ))}
          </div>
        </section>
      ))}
    </PageSection>
  );
}
