/** One row per endpoint of a model: prices, limits, protocol, speed, availability and circuit state. */
import { DataTable } from "@/components/ui/data-table";
import type { ProviderRow } from "@/lib/catalog/model-detail";
import { formatTokens } from "@/lib/catalog/price-format";

const percent = (rate: number | null) => (rate === null ? "no data yet" : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)}%`);
const ms = (value: number | null) => (value === null ? "no data yet" : `${Math.round(value).toLocaleString("en-US")} ms`);

const CIRCUIT: Record<ProviderRow["circuit"], { text: string; style: string }> = {
  closed: { text: "healthy", style: "text-teal-700 dark:text-teal-400" },
  half_open: { text: "recovering", style: "text-amber-700 dark:text-amber-400" },
  open: { text: "circuit open", style: "text-red-700 dark:text-red-400" },
};

export function ProviderTable({ rows }: { rows: ProviderRow[] }) {
  return (
    <DataTable
      caption="Providers"
      columns={[{ label: "Provider" }, { label: "Prices" }, { label: "Context", align: "right" }, { label: "TTFT p50 / p90", align: "right" }, { label: "Throughput p50", align: "right" }, { label: "Availability 5 min / 1 h / 1 day", align: "right" }, { label: "State" }]}
    >
      {rows.map((row) => (
        <tr key={row.endpointId} className={row.enabled ? "" : "opacity-60"}>
          <td className="px-3 py-2 align-top">
            <div className="font-medium">{row.providerName}</div>
            <code className="font-mono text-xs text-zinc-500">{row.providerSlug}</code>
            <div className="mt-1 text-xs text-zinc-500">{row.nativeProtocol}</div>
            {row.supportedParameters.length ? <div className="mt-1 max-w-56 text-xs text-zinc-500">{row.supportedParameters.join(", ")}</div> : null}
          </td>
          <td className="px-3 py-2 align-top">
            <dl className="text-xs">
              {row.prices.map((p) => (
                <div key={p.feeItem}>
                  <dt className="inline text-zinc-500">{p.label}: </dt>
                  <dd className="inline">{p.text}</dd>
                </div>
              ))}
            </dl>
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">
            {formatTokens(row.contextLength)}
            {row.maxOutput ? <div className="text-xs text-zinc-500">max out {formatTokens(row.maxOutput)}</div> : null}
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">
            {row.ttftP50Ms === null ? "no data yet" : `${ms(row.ttftP50Ms)} / ${ms(row.ttftP90Ms)}`}
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">{row.throughputP50 === null ? "no data yet" : `${row.throughputP50.toFixed(1)} tok/s`}</td>
          <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">
            {row.requestsLastDay === 0 ? "no data yet" : `${percent(row.availability.fiveMinutes)} / ${percent(row.availability.hour)} / ${percent(row.availability.day)}`}
            {row.requestsLastDay > 0 ? <div className="text-xs text-zinc-500">{row.requestsLastDay.toLocaleString("en-US")} calls today{row.probesLastDay ? `, ${row.probesLastDay} probes` : ""}</div> : null}
          </td>
          <td className={`whitespace-nowrap px-3 py-2 align-top ${row.enabled ? CIRCUIT[row.circuit].style : ""}`}>{row.enabled ? CIRCUIT[row.circuit].text : "disabled"}</td>
        </tr>
      ))}
    </DataTable>
  );
}
