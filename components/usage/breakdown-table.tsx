import type { ProviderUsageRow } from "@/lib/activity/provider-attempts";
import type { BreakdownRow } from "@/lib/activity/usage-rows";
import { formatInteger, formatMs, formatPercent, formatTokens, formatUsd } from "@/lib/activity/usage-format";
import { DataTable } from "@/components/ui/data-table";
import { Money } from "@/components/ui/money";

const isProviderRow = (row: BreakdownRow): row is ProviderUsageRow => "attempts" in row;

/**
 * Requests, tokens, cost and speed per model, provider or key, as the preparer sorted them
 * (dearest first). For providers, success counts every attempt (as the provider pages do)
 * and the calls each one served are a column of their own.
 */
export function BreakdownTable({ caption, dimension, rows }: { caption: string; dimension: string; rows: BreakdownRow[] | ProviderUsageRow[] }) {
  if (rows.length === 0) return null;
  const byAttempt = rows.every(isProviderRow);
  return (
    <DataTable
      caption={caption}
      columns={[
        { label: dimension },
        ...(byAttempt
          ? [
              { label: "Attempts", align: "right" as const },
              { label: "Attempt success", align: "right" as const },
              { label: "Served calls", align: "right" as const },
            ]
          : [
              { label: "Requests", align: "right" as const },
              { label: "Success", align: "right" as const },
            ]),
        { label: "Input", align: "right" },
        { label: "Output", align: "right" },
        { label: "Avg TTFT", align: "right" },
        { label: "Cost", align: "right" },
        { label: "Per request", align: "right" },
      ]}
    >
      {rows.map((row) => (
        <tr key={row.id}>
          <td className="max-w-64 truncate px-3 py-2 font-medium" title={row.label}>
            {row.label}
          </td>
          {isProviderRow(row) ? (
            <>
              <td className="px-3 py-2 text-right tabular-nums">{formatInteger(row.attempts)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{row.attemptSuccessRate !== null ? formatPercent(row.attemptSuccessRate) : "—"}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatInteger(row.servedCalls)}</td>
            </>
          ) : (
            <>
              <td className="px-3 py-2 text-right tabular-nums">{formatInteger(row.requests)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{row.requests > 0 ? formatPercent((row.requests - row.errors) / row.requests) : "—"}</td>
            </>
          )}
          <td className="px-3 py-2 text-right tabular-nums">{formatTokens(row.promptTokens)}</td>
          <td className="px-3 py-2 text-right tabular-nums">{formatTokens(row.completionTokens)}</td>
          <td className="px-3 py-2 text-right tabular-nums">{row.avgTtftMs !== null ? formatMs(row.avgTtftMs) : "—"}</td>
          <td className="px-3 py-2 text-right">
            <Money amount={row.costUsd} />
          </td>
          <td className="px-3 py-2 text-right tabular-nums">{row.requests > 0 ? formatUsd(row.costNanoUsd / row.requests) : "—"}</td>
        </tr>
      ))}
    </DataTable>
  );
}
