"use client";
/** The "Columns" menu: a checkbox per optional column, in a native popover (Esc and outside clicks close it). */
import { Columns3 } from "lucide-react";
import { OPTIONAL_COLUMNS, type ActivityColumnId } from "./activity-columns";

export function ActivityColumnChooser({
  shown,
  toggle,
  reset,
  isAdmin,
}: {
  shown: ReadonlySet<ActivityColumnId>;
  toggle: (id: ActivityColumnId) => void;
  reset: () => void;
  isAdmin: boolean;
}) {
  const columns = OPTIONAL_COLUMNS.filter((column) => isAdmin || !("adminOnly" in column));
  return (
    <>
      <button
        type="button"
        popoverTarget="activity-columns"
        className="inline-flex items-center gap-1.5 rounded-md border border-zinc-300 px-3 py-2 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        <Columns3 aria-hidden className="size-4" />
        Columns
      </button>
      <div
        id="activity-columns"
        popover="auto"
        role="dialog"
        aria-label="Columns"
        className="m-auto w-64 rounded-lg border border-zinc-200 bg-white p-4 text-sm text-zinc-900 shadow-xl dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <fieldset>
          <legend className="mb-2 font-medium">Columns shown</legend>
          <p className="mb-2 text-xs text-zinc-500">Time and Details always show. This browser remembers the choice.</p>
          <div className="grid grid-cols-2 gap-x-3 gap-y-1.5">
            {columns.map((column) => (
              <label key={column.id} className="flex items-center gap-2">
                <input type="checkbox" checked={shown.has(column.id)} onChange={() => toggle(column.id)} className="accent-teal-700" />
                {column.label}
              </label>
            ))}
          </div>
        </fieldset>
        <button type="button" onClick={reset} className="mt-3 text-sm font-medium text-teal-700 hover:underline dark:text-teal-400">
          Reset to defaults
        </button>
      </div>
    </>
  );
}
