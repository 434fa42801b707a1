/** One row per endpoint of a model: prices, limits, protocol, speed, availability and circuit state. */
import Link from "next/link";
import { PriceList } from "@/components/models/price-list";
import { DataTable } from "@/components/ui/data-table";
import type { ProviderRow } from "@/lib/public-pages/model-detail";
import { formatTokens } from "@/lib/public-pages/price-format";
import { formatLatency, formatRate, formatTokenRate, NO_DATA } from "@/lib/public-pages/stat-format";
import { formatQuantity } from "@/lib/format/quantity";

const CIRCUIT: Record<ProviderRow["circuit"], { text: string; style: string }> = {
  closed: { text: "healthy", style: "text-teal-700 dark:text-teal-400" },
  half_open: { text: "recovering", style: "text-amber-700 dark:text-amber-400" },
  open: { text: "circuit open", style: "text-red-700 dark:text-red-400" },
};

export function ProviderTable({ rows }: { rows: ProviderRow[] }) {
  return (
    <DataTable
      caption="Providers"
      columns={[
        { label: "Provider" },
        { label: "Prices" },
        { label: "Context", align: "right" },
        { label: "TTFT p50 / p90, last 5 min", align: "right" },
        { label: "Throughput p50, last 5 min", align: "right" },
        { label: "Availability 5 min / 1 h / 24 h", align: "right" },
        { label: "State" },
      ]}
    >
      {rows.map((row) => (
        <tr key={row.endpointId} className={row.status === "enabled" ? "" : "opacity-60"}>
          <td className="px-3 py-2 align-top">
            <Link href={`/providers/${row.providerSlug}`} className="font-medium hover:underline">
              {row.providerName}
            </Link>
            <code className="block font-mono text-xs text-zinc-500">{row.providerSlug}</code>
            <div className="mt-1 text-xs text-zinc-500">{row.nativeProtocol}</div>
            {row.supportedParameters.length ? <div className="mt-1 max-w-56 text-xs text-zinc-500">{row.supportedParameters.join(", ")}</div> : null}
          </td>
          <td className="px-3 py-2 align-top">
            <PriceList prices={row.prices} />
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">
            {formatTokens(row.contextLength)}
            {row.maxOutput ? <div className="text-xs text-zinc-500">max out {formatTokens(row.maxOutput)}</div> : null}
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">
            {row.ttftP50Ms === null ? NO_DATA : `${formatLatency(row.ttftP50Ms)} / ${formatLatency(row.ttftP90Ms)}`}
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">{formatTokenRate(row.throughputP50)}</td>
          <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">
            {row.requestsLastDay === 0
              ? NO_DATA
              : `${formatRate(row.availability.fiveMinutes)} / ${formatRate(row.availability.hour)} / ${formatRate(row.availability.day)}`}
            {row.requestsLastDay > 0 ? (
              <div className="text-xs text-zinc-500">
                {formatQuantity(row.requestsLastDay, "call")} in 24 h{row.probesLastDay ? `, ${formatQuantity(row.probesLastDay, "probe")}` : ""}
              </div>
            ) : null}
          </td>
          <td
            className={`whitespace-nowrap px-3 py-2 align-top ${row.status === "enabled" ? CIRCUIT[row.circuit].style : row.status === "not_configured" ? "text-amber-700 dark:text-amber-400" : ""}`}
          >
            {row.status === "enabled" ? (
              CIRCUIT[row.circuit].text
            ) : row.status === "not_configured" ? (
              <span title="This gateway has no credential for this provider: the endpoint is unavailable">not configured</span>
            ) : (
              "disabled"
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
