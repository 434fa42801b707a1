import type { Metadata } from "next";
import { ModelBrowser } from "@/components/models/model-browser";
import { loadModelRows } from "@/lib/server/model-rows";
import { formatQuantity } from "@/lib/format/quantity";

// Live availability and latency: rendered per request, from memory.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  const rows = await loadModelRows();
  const vendors = new Set(rows.map((r) => r.vendor)).size;
  const providers = new Set(rows.flatMap((r) => r.providers.map((p) => p.slug))).size;
  return (
    <main className="mx-auto max-w-6xl px-4 py-10">
      <h1 className="text-2xl font-semibold">Models</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        {formatQuantity(rows.length, "model")} from {formatQuantity(vendors, "vendor")} on {formatQuantity(providers, "provider")}, all behind one API key.
        Prices are each model&apos;s lowest list price among its providers, in USD per million tokens.
      </p>
      <div className="mt-6">
        <ModelBrowser rows={rows} />
      </div>
      <p className="mt-4 text-xs text-zinc-500">
        Availability and latency (median time to first token, from the fastest provider) come from recent traffic through this gateway; a model no one has
        called yet shows &ldquo;no data yet&rdquo;. &ldquo;Tiered&rdquo; prices rise above a prompt size: the base tier is shown.
      </p>
    </main>
  );
}
