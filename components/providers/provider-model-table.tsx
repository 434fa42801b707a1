/** A provider's models: each links to its model page, with the upstream id, context, prices and this endpoint's numbers. */
import Link from "next/link";
import { PriceList } from "@/components/models/price-list";
import { DataTable } from "@/components/ui/data-table";
import { formatTokens } from "@/lib/public-pages/price-format";
import type { ProviderModelRow } from "@/lib/public-pages/provider-detail";
import { formatLatency, formatRate, NO_DATA } from "@/lib/public-pages/stat-format";
import { formatQuantity } from "@/lib/format/quantity";

export function ProviderModelTable({ rows }: { rows: ProviderModelRow[] }) {
  if (rows.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        This provider serves no listed model.
      </p>
    );
  }
  return (
    <DataTable
      caption="Models"
      columns={[
        { label: "Model" },
        { label: "Upstream model" },
        { label: "Context", align: "right" },
        { label: "Prices" },
        { label: "TTFT p50 (24 h)", align: "right" },
        { label: "Availability 5 min / 1 h / 24 h", align: "right" },
      ]}
    >
      {rows.map((row) => {
        const { fiveMinutes, hour, day } = row.windows;
        return (
          <tr key={row.endpointId} className={row.status === "enabled" ? "" : "opacity-60"}>
            <td className="px-3 py-2 align-top">
              <Link href={row.modelHref} className="font-medium hover:underline">
                {row.modelName}
              </Link>
              <div>
                <code className="font-mono text-xs text-zinc-500">{row.modelSlug}</code>
              </div>
              {row.status === "enabled" ? null : (
                <div className="text-xs text-zinc-500">{row.status === "not_configured" ? "unavailable: not configured" : "disabled"}</div>
              )}
            </td>
            <td className="px-3 py-2 align-top">
              <code className="break-all font-mono text-xs">{row.upstreamModel}</code>
            </td>
            <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">
              {formatTokens(row.contextLength)}
              {row.maxOutput ? <div className="text-xs text-zinc-500">max out {formatTokens(row.maxOutput)}</div> : null}
            </td>
            <td className="px-3 py-2 align-top">
              <PriceList prices={row.prices} />
            </td>
            <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">{formatLatency(day.ttftP50Ms)}</td>
            <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">
              {day.requests === 0 ? NO_DATA : `${formatRate(fiveMinutes.successRate)} / ${formatRate(hour.successRate)} / ${formatRate(day.successRate)}`}
              {day.requests > 0 ? <div className="text-xs text-zinc-500">{formatQuantity(day.requests, "call")} in 24 h</div> : null}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
