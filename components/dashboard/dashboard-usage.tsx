"use client";
/** The dashboard's spend, requests, top models and cost chart, in UTC days like the Usage page. */
import Link from "next/link";
import { StatCards } from "@/components/usage/stat-cards";
import { TimeSeriesChart } from "@/components/usage/time-series-chart";
import { useState } from "react";
import { useDashboardFigures, useUsageOptions } from "@/components/usage/use-usage";
import type { DashboardFigures } from "@/lib/activity/dashboard-figures";
import { formatInteger, formatPercent, formatTokens } from "@/lib/activity/usage-format";
import { formatQuantity } from "@/lib/format/quantity";
import { Money } from "@/components/ui/money";

function TopModelsFigure({ models }: { models: DashboardFigures["topModels"] }) {
  return (
    <figure aria-labelledby="top-models-title" className="min-w-0 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <figcaption id="top-models-title" className="mb-3 text-sm font-medium">
        Top models by cost, last 30 days
      </figcaption>
      {models.length === 0 ? (
        <p className="py-8 text-center text-sm text-zinc-500">No calls in the last 30 days</p>
      ) : (
        <ol className="flex flex-col gap-3 text-sm">
          {models.map((model) => (
            <li key={model.model}>
              <div className="flex justify-between gap-3">
                <span className="truncate font-medium" title={model.model}>
                  {model.model}
                </span>
                <Money amount={model.costUsd} className="shrink-0" />
              </div>
              <div aria-hidden className="mt-1 h-1.5 rounded-full bg-zinc-100 dark:bg-zinc-800">
                <div className="h-1.5 rounded-full bg-teal-600" style={{ width: `${Math.max(1, model.share * 100)}%` }} />
              </div>
              <p className="mt-0.5 text-xs text-zinc-500">
                {formatQuantity(model.requests, "request")} · {formatQuantity(model.tokens, "token", { figure: formatTokens(model.tokens) })} ·{" "}
                {formatPercent(model.share)} of spend
              </p>
            </li>
          ))}
        </ol>
      )}
    </figure>
  );
}

function MemberSpendFigure({ members }: { members: NonNullable<DashboardFigures["members"]> }) {
  return (
    <figure aria-labelledby="member-spend-title" className="mt-4 min-w-0 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <figcaption id="member-spend-title" className="mb-3 text-sm font-medium">
        Spend by member, last 30 days
      </figcaption>
      {members.length === 0 ? (
        <p className="py-4 text-center text-sm text-zinc-500">No calls by members in the last 30 days</p>
      ) : (
        <ol className="flex flex-col gap-2 text-sm">
          {members.map((m) => (
            <li key={m.member} className="flex justify-between gap-3">
              <span className="truncate" title={m.member}>
                {m.member} · {formatQuantity(m.requests, "request")}
              </span>
              <Money amount={m.costUsd} className="shrink-0" />
            </li>
          ))}
        </ol>
      )}
    </figure>
  );
}

function MemberFilter({ value, onChange }: { value: string; onChange: (member: string) => void }) {
  const options = useUsageOptions(null, null);
  return (
    <label className="flex items-center gap-2 text-sm">
      Member
      <select
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className="max-w-60 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        <option value="">All members</option>
        {(options.data?.members ?? []).map((m) => (
          <option key={m.id} value={m.id}>
            {m.email}
          </option>
        ))}
      </select>
    </label>
  );
}

/** `organizationAdmin`: the dashboard of an organization's admin, who may narrow it to one member and sees spend per member. */
export function DashboardUsage({ organizationAdmin = false }: { organizationAdmin?: boolean }) {
  const [member, setMember] = useState("");
  const figures = useDashboardFigures(member);
  if (figures.isError) {
    return (
      <p role="alert" className="mb-6 text-sm text-red-700 dark:text-red-300">
        Could not load your usage: {figures.error.message}
      </p>
    );
  }
  const data = figures.data;
  if (!data) return <p className="mb-6 py-8 text-center text-sm text-zinc-500">Loading usage…</p>;
  return (
    <section aria-labelledby="dashboard-usage" className="mb-6">
      <div className="mb-3 flex items-baseline justify-between gap-3">
        <h2 id="dashboard-usage" className="text-lg font-semibold">
          Spend and requests
        </h2>
        <div className="flex items-center gap-4">
          {organizationAdmin ? <MemberFilter value={member} onChange={setMember} /> : null}
          <Link href="/usage" className="text-sm font-medium text-teal-700 hover:underline dark:text-teal-400">
            See usage
          </Link>
        </div>
      </div>
      <StatCards
        columns={4}
        stats={[
          { label: "Spend today", value: <Money amount={data.spend.todayUsd} />, detail: `since midnight, ${data.timeZone}` },
          { label: "Last 7 days", value: <Money amount={data.spend.last7DaysUsd} /> },
          { label: "Last 30 days", value: <Money amount={data.spend.last30DaysUsd} /> },
          {
            label: "Requests, 30 days",
            value: formatInteger(data.requests),
            detail: data.errorRate !== null ? `${formatPercent(data.errorRate)} failed` : "none yet",
          },
        ]}
      />
      <div className="grid items-start gap-4 lg:grid-cols-2">
        <TimeSeriesChart
          title="Cost per day, last 30 days"
          data={data.dailyCost}
          kind="usd"
          time={{ granularity: "day", timeZone: data.timeZone }}
          height={180}
          legend={false}
        />
        <TopModelsFigure models={data.topModels} />
      </div>
      {data.members && !member ? <MemberSpendFigure members={data.members} /> : null}
    </section>
  );
}
