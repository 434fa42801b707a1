"use client";
/** The Usage page: filters kept in the URL, then three tabs of charts drawn from the rollups, in UTC. */
import { useSearchParams } from "next/navigation";
import { PageHeader } from "@/components/console/page-header";
import { Button } from "@/components/ui/button";
import { TabPanel, Tabs } from "@/components/ui/tabs";
import { formatBucketLabel } from "@/lib/activity/usage-format";
import { toUsageApiQuery, USAGE_TABS, withUsageParam, type UsageTab } from "@/lib/activity/usage-search-params";
import { UsageFilters } from "./usage-filters";
import { PerformancePanel, ProvidersPanel, UsagePanel } from "./usage-panels";
import { useUsageCharts, useUsageOptions } from "./use-usage";

const TABS: { id: UsageTab; label: string }[] = [
  { id: "usage", label: "Usage" },
  { id: "providers", label: "Providers" },
  { id: "performance", label: "Performance" },
];
const PER: Record<string, string> = { hour: "per hour", day: "per day", month: "per month" };

/** `isAdmin`: the instance admin's view of every account; `isOrganizationAdmin`: an organization admin's view of every member. */
export function UsageView({ isAdmin, isOrganizationAdmin = false }: { isAdmin: boolean; isOrganizationAdmin?: boolean }) {
  const params = useSearchParams();
  const search = new URLSearchParams(params.toString());
  const charts = useUsageCharts(toUsageApiQuery(search));
  const options = useUsageOptions(isAdmin ? search.get("account") : null, isOrganizationAdmin ? search.get("member") : null);
  const requested = search.get("tab") as UsageTab | null;
  const tab: UsageTab = requested && USAGE_TABS.includes(requested) ? requested : "usage";

  // The native history API updates the URL (and useSearchParams) at once, without a server
  // round trip; and each change starts from the URL as it is now, not as of the last render,
  // so two quick changes don't undo each other.
  const current = () => new URLSearchParams(window.location.search);
  const replace = (next: URLSearchParams) => window.history.replaceState(null, "", next.size ? `?${next}` : window.location.pathname);
  const onChange = (name: string, value: string) => {
    const next = withUsageParam(current(), name, value);
    // Another account has other keys: a key filter from the previous one would match nothing.
    if (name === "account" || name === "member") next.delete("key");
    replace(next);
  };
  const onReset = () => replace(new URLSearchParams(tab === "usage" ? "" : `tab=${tab}`));

  const data = charts.data;
  const time = data ? { granularity: data.range.granularity, timeZone: data.range.timeZone } : null;
  const rangeText =
    data && time
      ? `${formatBucketLabel(Date.parse(data.range.from), "day", time.timeZone)} – ${formatBucketLabel(Date.parse(data.range.to) - 1, "day", time.timeZone)}, ${PER[time.granularity]}, times in ${time.timeZone}`
      : null;

  return (
    <>
      <PageHeader
        title="Usage"
        description={
          isAdmin
            ? "Tokens, requests, cost and speed over time, for every account or one of them."
            : isOrganizationAdmin
              ? "Tokens, requests, cost and speed over time, for every member of the organization or one of them."
              : "Tokens, requests, cost and speed over time for your account."
        }
      />
      <UsageFilters params={search} options={options.data} showAccounts={isAdmin} showMembers={isOrganizationAdmin} onChange={onChange} onReset={onReset} />
      {charts.isError ? (
        <div
          role="alert"
          className="mb-4 flex items-center justify-between gap-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300"
        >
          {charts.error.message}
          <Button variant="ghost" onClick={() => charts.refetch()}>
            Retry
          </Button>
        </div>
      ) : null}
      <Tabs
        label="Usage views"
        idPrefix="usage"
        tabs={TABS}
        selected={tab}
        onSelect={(id) => replace(withUsageParam(current(), "tab", id === "usage" ? null : id))}
      />
      <TabPanel idPrefix="usage" id={tab}>
        {rangeText ? <p className="mb-4 text-xs text-zinc-500">{rangeText}</p> : null}
        <div aria-busy={charts.isFetching} className={charts.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
          {!data || !time ? (
            charts.isError ? null : (
              <p className="py-16 text-center text-sm text-zinc-500">Loading usage…</p>
            )
          ) : tab === "usage" ? (
            <UsagePanel charts={data} time={time} />
          ) : tab === "providers" ? (
            <ProvidersPanel charts={data} time={time} />
          ) : (
            <PerformancePanel charts={data} />
          )}
        </div>
      </TabPanel>
    </>
  );
}
