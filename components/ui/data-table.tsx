import type { ReactNode } from "react";

export type Column = { label: string; align?: "right"; hidden?: boolean };

/** The console's table: a scrolling bordered frame, a header row, divided body rows. Rows are the caller's. */
export function DataTable({ caption, columns, children }: { caption?: string; columns: Column[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-left text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={`px-3 py-2${column.align === "right" ? " text-right" : ""}`}>
                {column.hidden ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">{children}</tbody>
      </table>
    </div>
  );
}
