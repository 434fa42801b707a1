import type { ReactNode } from "react";

export type Stat = { label: string; value: ReactNode; detail?: ReactNode; title?: string };

/** A row of figures (a description list, so each value is read with its label). */
export function StatCards({ stats, columns = 5 }: { stats: Stat[]; columns?: 3 | 4 | 5 }) {
  const grid = { 3: "sm:grid-cols-3", 4: "sm:grid-cols-2 lg:grid-cols-4", 5: "sm:grid-cols-3 lg:grid-cols-5" }[columns];
  return (
    <dl className={`mb-6 grid grid-cols-2 gap-4 ${grid}`}>
      {stats.map((stat) => (
        <div key={stat.label} className="min-w-0 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
          <dt className="text-xs text-zinc-500">{stat.label}</dt>
          <dd className="mt-1 truncate text-xl font-semibold tabular-nums" title={stat.title}>
            {stat.value}
          </dd>
          {stat.detail ? <dd className="mt-0.5 text-xs text-zinc-500">{stat.detail}</dd> : null}
        </div>
      ))}
    </dl>
  );
}
