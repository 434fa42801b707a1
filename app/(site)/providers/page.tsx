import type { Metadata } from "next";
import { ProviderCards } from "@/components/providers/provider-cards";
import { loadProviderSummaries } from "@/lib/server/provider-statistics";
import { formatQuantity } from "@/lib/format/quantity";

// Live availability and latency: rendered per request, from memory.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Providers" };

export default async function ProvidersPage() {
  const providers = await loadProviderSummaries();
  return (
    <main className="mx-auto max-w-6xl px-4 py-10">
      <h1 className="text-2xl font-semibold">Providers</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        {formatQuantity(providers.length, "upstream provider")} {providers.length === 1 ? "serves" : "serve"} this gateway&apos;s models. Availability and
        first-token latency (TTFT) are measured from this gateway&apos;s own traffic to each provider, all its models together; a provider no one has called yet
        shows &ldquo;no data yet&rdquo;.
      </p>
      <div className="mt-6">
        <ProviderCards providers={providers} />
      </div>
    </main>
  );
}
