/** A provider's overall availability and latency over the last 5 minutes, hour and day (all its endpoints added up). */
import { DataTable } from "@/components/ui/data-table";
import type { ProviderWindows } from "@/lib/public-pages/provider-detail";
import { formatLatency, formatRate, formatTokenRate, NO_DATA } from "@/lib/public-pages/stat-format";
import { formatQuantity } from "@/lib/format/quantity";

const WINDOWS: { key: keyof ProviderWindows; label: string }[] = [
  { key: "fiveMinutes", label: "Last 5 minutes" },
  { key: "hour", label: "Last hour" },
  { key: "day", label: "Last 24 hours" },
];

export function ProviderWindowsTable({ windows }: { windows: ProviderWindows }) {
  return (
    <DataTable
      caption="Availability and latency"
      columns={[
        { label: "Window" },
        { label: "Requests", align: "right" },
        { label: "Availability", align: "right" },
        { label: "TTFT p50", align: "right" },
        { label: "TTFT p90", align: "right" },
        { label: "Throughput p50", align: "right" },
      ]}
    >
      {WINDOWS.map(({ key, label }) => {
        const w = windows[key];
        return (
          <tr key={key}>
            <th scope="row" className="px-3 py-2 text-left font-normal">
              {label}
            </th>
            <td className="px-3 py-2 text-right tabular-nums">
              {w.requests === 0 ? NO_DATA : w.requests.toLocaleString("en-US")}
              {w.probes ? <div className="text-xs text-zinc-500">{formatQuantity(w.probes, "probe")}</div> : null}
            </td>
            <td className="px-3 py-2 text-right tabular-nums">{formatRate(w.successRate)}</td>
            <td className="px-3 py-2 text-right tabular-nums">{formatLatency(w.ttftP50Ms)}</td>
            <td className="px-3 py-2 text-right tabular-nums">{formatLatency(w.ttftP90Ms)}</td>
            <td className="px-3 py-2 text-right tabular-nums">{formatTokenRate(w.throughputP50)}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}
