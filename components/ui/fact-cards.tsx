import type { ReactNode } from "react";

/** Small bordered term/value cards in a grid (a page's key facts). */
export function FactCards({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="mt-6 grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
      {items.map(([term, value]) => (
        <div key={term} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
          <dt className="text-xs text-zinc-500">{term}</dt>
          <dd className="mt-1 break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
