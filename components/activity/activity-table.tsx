"use client";
/** The activity rows: token and cost breakdowns in popovers, a Details button per row. */
import type { ReactNode } from "react";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { ActivityRowDto } from "@/lib/activity/activity-query";
import { protocolLabel, protocolRoute } from "@/lib/activity/protocol-names";
import { formatCost, formatCount, formatMs, formatShortTime, formatTps } from "./activity-format";
import { Money } from "@/components/ui/money";

/** A number that opens a small breakdown (the native popover: Esc and outside clicks close it). */
function Breakdown({ id, label, value, children }: { id: string; label: string; value: ReactNode; children: ReactNode }) {
  return (
    <>
      <button type="button" popoverTarget={id} aria-label={label} className="tabular-nums underline decoration-dotted underline-offset-2 hover:text-teal-700" onClick={(event) => event.stopPropagation()}>
        {value}
      </button>
      <div id={id} popover="auto" role="dialog" aria-label={label} className="m-auto rounded-lg border border-zinc-200 bg-white p-4 text-left text-sm text-zinc-900 shadow-xl dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100">
        <p className="mb-2 font-medium">{label}</p>
        {children}
      </div>
    </>
  );
}

function Pairs({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[auto_auto] gap-x-6 gap-y-1">
      {items.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="text-zinc-500">{name}</dt>
          <dd className="text-right tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const STATUS_STYLES: Record<string, string> = {
  success: "bg-teal-50 text-teal-800 dark:bg-teal-950 dark:text-teal-300",
  error: "bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-300",
  aborted: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

export function StatusBadge({ status, httpStatus }: { status: string; httpStatus: number }) {
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLES[status] ?? STATUS_STYLES.aborted}`}>{status === "success" ? "success" : `${status} ${httpStatus}`}</span>;
}

export function ActivityTable({ rows, showAccount, onOpen }: { rows: ActivityRowDto[]; showAccount: boolean; onOpen: (id: string) => void }) {
  const columns: Column[] = [
    { label: "Time" },
    ...(showAccount ? [{ label: "Account" }] : []),
    { label: "Model" },
    { label: "Provider" },
    { label: "Protocol" },
    { label: "Input", align: "right" as const },
    { label: "Output", align: "right" as const },
    { label: "Cost", align: "right" as const },
    { label: "Latency", align: "right" as const },
    { label: "TTFT", align: "right" as const },
    { label: "Throughput", align: "right" as const },
    { label: "Finish" },
    { label: "Status" },
    { label: "API key" },
    { label: "Details", hidden: true },
  ];
  return (
    <DataTable caption="Activity" columns={columns}>
      {rows.map((row) => {
        const input = row.tokens.prompt + row.tokens.cacheRead + row.tokens.cacheWrite;
        const output = row.tokens.completion;
        return (
          <tr key={row.id} className="cursor-pointer hover:bg-zinc-50 dark:hover:bg-zinc-900" onClick={() => onOpen(row.id)}>
            <td className="whitespace-nowrap px-3 py-2" title={row.createdAt}>
              {formatShortTime(row.createdAt)}
            </td>
            {showAccount ? <td className="px-3 py-2">{row.account}</td> : null}
            <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{row.model}</td>
            <td className="whitespace-nowrap px-3 py-2">
              {row.provider ?? "—"}
              {row.attempts > 1 ? <span className="ml-1 text-xs text-amber-700 dark:text-amber-400">({row.attempts} tries)</span> : null}
            </td>
            <td className="whitespace-nowrap px-3 py-2 text-xs" title={`Client: ${protocolLabel(row.api, "full")}; upstream: ${row.upstreamApi ? protocolLabel(row.upstreamApi, "full") : "none served"}`}>
              {protocolRoute(row.api, row.upstreamApi)}
            </td>
            <td className="px-3 py-2 text-right">
              <Breakdown id={`in-${row.id}`} label="Input tokens" value={formatCount(input)}>
                <Pairs items={[["prompt", formatCount(row.tokens.prompt)], ["cache read", formatCount(row.tokens.cacheRead)], ["cache write", formatCount(row.tokens.cacheWrite)]]} />
              </Breakdown>
            </td>
            <td className="px-3 py-2 text-right">
              <Breakdown id={`out-${row.id}`} label="Output tokens" value={formatCount(output)}>
                <Pairs items={[["completion", formatCount(row.tokens.completion)], ["of which reasoning", formatCount(row.tokens.reasoning)]]} />
              </Breakdown>
            </td>
            <td className="px-3 py-2 text-right">
              <Breakdown id={`cost-${row.id}`} label="Cost" value={<Money amount={row.costUsd} />}>
                {row.costItems.length === 0 ? (
                  <p className="text-zinc-500">Not billed{row.status === "success" ? "" : ": the call failed before any output"}.</p>
                ) : (
                  <Pairs items={[...row.costItems.map((i): [string, ReactNode] => [`${i.feeItem} (${formatCount(i.quantity)} × $${i.unitPriceUsd}${i.unit === "perMTokens" ? "/M" : ""})`, formatCost(i.costUsd)]), ["total", formatCost(row.costUsd)]]} />
                )}
              </Breakdown>
            </td>
            <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatMs(row.latencyMs)}</td>
            <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatMs(row.ttftMs)}</td>
            <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatTps(row.throughput)}</td>
            <td className="px-3 py-2 text-xs">{row.finishReason ?? "—"}</td>
            <td className="px-3 py-2">
              <StatusBadge status={row.status} httpStatus={row.httpStatus} />
            </td>
            <td className="whitespace-nowrap px-3 py-2 text-xs">{row.apiKey ? row.apiKey.name : "—"}</td>
            <td className="px-3 py-2">
              <button type="button" className="text-teal-700 hover:underline dark:text-teal-400" aria-label={`Details of ${row.id}`} onClick={(event) => (event.stopPropagation(), onOpen(row.id))}>
                Details
              </button>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
