import type { TooltipContentProps } from "recharts";

type Row = { name: string; value: number; colour: string };

/** The tooltip box for every usage chart, themed like the console (Recharts' default is light-only). */
export function ChartTooltip({
  active,
  payload,
  label,
  formatLabel,
  formatValue,
  showTotal = false,
}: Pick<TooltipContentProps<number, string>, "active" | "payload" | "label"> & {
  formatLabel: (label: string | number) => string;
  formatValue: (value: number) => string;
  showTotal?: boolean;
}) {
  if (!active || !payload?.length) return null;
  const rows: Row[] = payload
    .map((entry) => ({ name: String(entry.name ?? ""), value: Number(entry.value ?? 0), colour: String(entry.color ?? entry.fill ?? "currentColor") }))
    .filter((row) => row.value !== 0)
    .reverse();
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs text-zinc-900 shadow-md dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
      <p className="mb-1 font-medium">{label !== undefined ? formatLabel(label) : ""}</p>
      {rows.length === 0 ? <p className="text-zinc-500">Nothing</p> : null}
      <ul className="flex flex-col gap-0.5">
        {rows.map((row) => (
          <li key={row.name} className="flex items-center gap-2">
            <span aria-hidden className="size-2 shrink-0 rounded-sm" style={{ backgroundColor: row.colour }} />
            <span className="max-w-56 truncate">{row.name}</span>
            <span className="ml-auto pl-3 tabular-nums">{formatValue(row.value)}</span>
          </li>
        ))}
      </ul>
      {showTotal && rows.length > 1 ? (
        <p className="mt-1 flex justify-between border-t border-zinc-200 pt-1 font-medium dark:border-zinc-700">
          <span>Total</span>
          <span className="tabular-nums">{formatValue(rows.reduce((n, row) => n + row.value, 0))}</span>
        </p>
      ) : null}
    </div>
  );
}
