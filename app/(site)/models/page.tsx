import type { Metadata } from "next";
import { getCatalogSnapshot } from "@/lib/catalog/catalog-cache";
import { listedModels } from "@/lib/catalog/catalog-snapshot";
import { formatPerMillion, formatTokens, isTiered } from "@/lib/catalog/price-format";
import { representativeEndpoint } from "@/lib/catalog/public-model-lists";
import { DataTable } from "@/components/ui/data-table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  const models = listedModels(await getCatalogSnapshot());
  return (
    <main className="mx-auto max-w-6xl px-4 py-10">
      <h1 className="text-2xl font-semibold">Models</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        {models.length} models. Prices are the lowest list price among each model&apos;s providers, in USD per million tokens.
      </p>
      <div className="mt-6">
      <DataTable columns={[{ label: "Model" }, { label: "Vendor" }, { label: "Context", align: "right" }, { label: "Input", align: "right" }, { label: "Output", align: "right" }, { label: "Providers", align: "right" }]}>
            {models.map((model) => {
              const pricings = representativeEndpoint(model).pricings;
              return (
                <tr key={model.slug}>
                  <td className="px-3 py-2">
                    <div className="font-medium">{model.displayName}</div>
                    <code className="font-mono text-xs text-zinc-500">{model.slug}</code>
                  </td>
                  <td className="px-3 py-2">{model.vendor}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatTokens(model.contextLength)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {formatPerMillion(pricings, "prompt")}
                    {isTiered(pricings) ? <span title="Tiered by prompt size"> *</span> : null}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatPerMillion(pricings, "completion")}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{model.endpoints.filter((e) => e.enabled && e.provider.enabled).length}</td>
                </tr>
              );
            })}
      </DataTable>
      </div>
      <p className="mt-3 text-xs text-zinc-500">* tiered: the price rises above a prompt size; see the model list API for every tier.</p>
    </main>
  );
}
