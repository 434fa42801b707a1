import type { ReactNode } from "react";

export type Column = { label: string; align?: "right"; hidden?: boolean };
/** `compact` narrows the header cells' padding to match rows that use `px-2` (tables with many columns). */
export type TableDensity = "normal" | "compact";

/** A short, stable class name for one set of column labels: tables with the same columns share their label rules. */
function scopeFor(labels: string[]): string {
  let hash = 5381;
  for (const char of labels.join("\u0000")) hash = ((hash * 33) ^ char.charCodeAt(0)) >>> 0;
  return `dt-${hash.toString(36)}`;
}

function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, "\\$&").replace(/[<>\n]/g, " ")}"`;
}

/**
 * The console's table: a bordered frame that scrolls sideways inside itself, a header row,
 * divided body rows. Rows are the caller's. The frame is `relative`, so absolutely
 * positioned content (a screen-reader-only header) is clipped by it, not by the page.
 * Below the `sm` breakpoint `.data-table` (in globals.css) turns each row into a card, and
 * the rules below label each cell with its column's header, so every table gets the card
 * layout without its rows knowing.
 */
export function DataTable({
  caption,
  columns,
  density = "normal",
  children,
}: {
  caption?: string;
  columns: Column[];
  density?: TableDensity;
  children: ReactNode;
}) {
  const labels = columns.map((column) => (column.hidden ? "" : column.label));
  const scope = scopeFor(labels);
  const labelRules = labels
    .map((label, index) => (label ? `.${scope}>table>tbody>tr>td:nth-child(${index + 1}):not([colspan])::before{content:${cssString(label)}}` : ""))
    .join("");
  // The same breakpoint as the card rules in globals.css (Tailwind's `sm`).
  const cardLabels = labelRules ? `@media (width < 40rem){${labelRules}}` : "";
  return (
    <div className={`data-table ${scope} relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800`}>
      {cardLabels ? (
        <style href={scope} precedence="medium">
          {cardLabels}
        </style>
      ) : null}
      <table className="w-full text-left text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={`${density === "compact" ? "px-2" : "px-3"} py-2${column.align === "right" ? " text-right" : ""}`}>
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
