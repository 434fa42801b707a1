"use client";
/** Pieces of the activity rows: breakdown popovers and the status badge. */
import type { ReactNode } from "react";

/** A number that opens a small breakdown (the native popover: Esc and outside clicks close it). */
export function Breakdown({ id, label, value, children }: { id: string; label: string; value: ReactNode; children: ReactNode }) {
  return (
    <>
      <button
        type="button"
        popoverTarget={id}
        aria-label={label}
        className="tabular-nums underline decoration-dotted underline-offset-2 hover:text-teal-700"
        onClick={(event) => event.stopPropagation()}
      >
        {value}
      </button>
      <div
        id={id}
        popover="auto"
        role="dialog"
        aria-label={label}
        className="m-auto rounded-lg border border-zinc-200 bg-white p-4 text-left text-sm text-zinc-900 shadow-xl dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <p className="mb-2 font-medium">{label}</p>
        {children}
      </div>
    </>
  );
}

export function Pairs({ items }: { items: [string, ReactNode][] }) {
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
  return (
    <span className={`whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLES[status] ?? STATUS_STYLES.aborted}`}>
      {status === "success" ? "success" : `${status} ${httpStatus}`}
    </span>
  );
}
