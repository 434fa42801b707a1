"use client";
/** The activity rows: the columns the chooser shows, token and cost breakdowns in popovers, a Details button per row. */
import { Fragment, type ReactNode } from "react";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { ActivityRowDto } from "@/lib/activity/activity-query";
import { protocolLabel, protocolRoute } from "@/lib/activity/protocol-names";
import { Breakdown, Pairs, StatusBadge } from "./activity-cells";
import type { ActivityColumnId } from "./activity-columns";
import { formatCost, formatCount, formatMs, formatShortTime, formatTps } from "./activity-format";
import { Money } from "@/components/ui/money";

type ColumnSpec = { label: string; align?: "right"; cellClass?: string; render: (row: ActivityRowDto) => ReactNode; title?: (row: ActivityRowDto) => string };

// The text columns wrap rather than widen the table (the time between date and hour, key
// and provider names anywhere, slugs and emails after their "/" and "@"), so the table's
// narrowest layout is small: the default columns fit beside the sidebar at 1280 px
// whatever the names, long ones taking more lines, not width.
const WRAPPING = "wrap-anywhere";

/** Text that may break after each `mark` ("anthropic/" + "claude-sonnet-4.5", "owner@" + "example.com") before it breaks inside a word. */
function withBreaksAfter(text: string, mark: string): ReactNode {
  return text.split(mark).map((part, index, parts) => (
    <Fragment key={index}>
      {part}
      {index < parts.length - 1 ? (
        <>
          {mark}
          <wbr />
        </>
      ) : null}
    </Fragment>
  ));
}

const CELLS: Record<ActivityColumnId, ColumnSpec> = {
  account: { label: "Account", cellClass: "max-w-[12rem] break-words", render: (row) => withBreaksAfter(row.account, "@"), title: (row) => row.account },
  model: { label: "Model", cellClass: "max-w-[14rem] break-words font-mono text-xs", render: (row) => withBreaksAfter(row.model, "/") },
  provider: {
    label: "Provider",
    cellClass: `max-w-[10rem] ${WRAPPING}`,
    render: (row) => (
      <>
        {row.provider ?? "—"}
        {row.attempts > 1 ? <span className="block text-xs text-amber-700 dark:text-amber-400">({row.attempts} tries)</span> : null}
      </>
    ),
  },
  protocol: {
    label: "Protocol",
    cellClass: "whitespace-nowrap text-xs",
    render: (row) => protocolRoute(row.api, row.upstreamApi),
    title: (row) => `Client: ${protocolLabel(row.api, "full")}; upstream: ${row.upstreamApi ? protocolLabel(row.upstreamApi, "full") : "none served"}`,
  },
  input: {
    label: "Input",
    align: "right",
    render: (row) => (
      <Breakdown id={`in-${row.id}`} label="Input tokens" value={formatCount(row.tokens.prompt + row.tokens.cacheRead + row.tokens.cacheWrite)}>
        <Pairs
          items={[
            ["prompt", formatCount(row.tokens.prompt)],
            ["cache read", formatCount(row.tokens.cacheRead)],
            ["cache write", formatCount(row.tokens.cacheWrite)],
          ]}
        />
      </Breakdown>
    ),
  },
  output: {
    label: "Output",
    align: "right",
    render: (row) => (
      <Breakdown id={`out-${row.id}`} label="Output tokens" value={formatCount(row.tokens.completion)}>
        <Pairs
          items={[
            ["completion", formatCount(row.tokens.completion)],
            ["of which reasoning", formatCount(row.tokens.reasoning)],
          ]}
        />
      </Breakdown>
    ),
  },
  cost: {
    label: "Cost",
    align: "right",
    render: (row) => (
      <Breakdown id={`cost-${row.id}`} label="Cost" value={<Money amount={row.costUsd} />}>
        {row.costItems.length === 0 ? (
          <p className="text-zinc-500">Not billed{row.status === "success" ? "" : ": the call failed before any output"}.</p>
        ) : (
          <Pairs
            items={[
              ...row.costItems.map((i): [string, ReactNode] => [
                `${i.feeItem} (${formatCount(i.quantity)} × $${i.unitPriceUsd}${i.unit === "perMTokens" ? "/M" : ""})`,
                formatCost(i.costUsd),
              ]),
              ["total", formatCost(row.costUsd)],
            ]}
          />
        )}
      </Breakdown>
    ),
  },
  latency: { label: "Latency", align: "right", cellClass: "whitespace-nowrap tabular-nums", render: (row) => formatMs(row.latencyMs) },
  ttft: { label: "TTFT", align: "right", cellClass: "whitespace-nowrap tabular-nums", render: (row) => formatMs(row.ttftMs) },
  throughput: { label: "Throughput", align: "right", cellClass: "whitespace-nowrap tabular-nums", render: (row) => formatTps(row.throughput) },
  finish: { label: "Finish", cellClass: "text-xs", render: (row) => row.finishReason ?? "—" },
  status: { label: "Status", render: (row) => <StatusBadge status={row.status} httpStatus={row.httpStatus} /> },
  key: {
    label: "API key",
    cellClass: `max-w-[10rem] ${WRAPPING} text-xs`,
    render: (row) => (row.apiKey ? row.apiKey.name : "—"),
    title: (row) => (row.apiKey ? `${row.apiKey.name} (${row.apiKey.start}…)` : ""),
  },
};

const MEMBER_CELL: ColumnSpec = {
  label: "Member",
  cellClass: "max-w-[12rem] break-words",
  render: (row) => withBreaksAfter(row.member ?? "—", "@"),
  title: (row) => row.member ?? "",
};

/**
 * `columns` in the chooser's order. The "who" column (the chooser's Account) only when someone
 * sees several people's calls: `account` for the instance admin viewing every account,
 * `member` for an organization admin viewing every member.
 */
export function ActivityTable({
  rows,
  columns,
  whoColumn,
  onOpen,
}: {
  rows: ActivityRowDto[];
  columns: ActivityColumnId[];
  whoColumn: "account" | "member" | null;
  onOpen: (id: string) => void;
}) {
  const shown = columns.filter((id) => id !== "account" || whoColumn !== null);
  const cellOf = (id: ActivityColumnId) => (id === "account" && whoColumn === "member" ? MEMBER_CELL : CELLS[id]);
  const headers: Column[] = [
    { label: "Time" },
    ...shown.map((id) => ({ label: cellOf(id).label, align: cellOf(id).align })),
    { label: "Details", hidden: true },
  ];
  return (
    <DataTable caption="Activity" columns={headers} density="compact">
      {rows.map((row) => (
        <tr key={row.id} className="cursor-pointer hover:bg-zinc-50 dark:hover:bg-zinc-900" onClick={() => onOpen(row.id)}>
          <td className="px-2 py-2 tabular-nums" title={row.createdAt}>
            {formatShortTime(row.createdAt)}
          </td>
          {shown.map((id) => {
            const cell = cellOf(id);
            return (
              <td
                key={id}
                title={cell.title?.(row)}
                className={`px-2 py-2${cell.align === "right" ? " text-right" : ""}${cell.cellClass ? ` ${cell.cellClass}` : ""}`}
              >
                {cell.render(row)}
              </td>
            );
          })}
          <td className="px-2 py-2">
            <button
              type="button"
              className="text-teal-700 hover:underline dark:text-teal-400"
              aria-label={`Details of ${row.id}`}
              onClick={(event) => (event.stopPropagation(), onOpen(row.id))}
            >
              Details
            </button>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
