"use client";
/** TanStack Query hooks for usage charts and dashboard figures (the only client code that calls the usage APIs). */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { consoleFetch } from "@/components/console/console-fetch";
import type { DashboardFigures } from "@/lib/activity/dashboard-figures";
import type { UsageCharts } from "@/lib/activity/usage-charts";
import type { UsageFilterOptions } from "@/lib/activity/usage-query";

export const usageQueryKeys = {
  all: ["usage"] as const,
  charts: (apiQuery: string) => [...usageQueryKeys.all, "charts", apiQuery] as const,
  options: (account: string | null, member: string | null = null) => [...usageQueryKeys.all, "options", account ?? "", member ?? ""] as const,
  dashboard: (member = "") => [...usageQueryKeys.all, "dashboard", member] as const,
};

/** Chart data for an API query string (see lib/activity/usage-search-params.ts). */
export function useUsageCharts(apiQuery: string) {
  return useQuery({
    queryKey: usageQueryKeys.charts(apiQuery),
    queryFn: () => consoleFetch<UsageCharts>(`/api/console/usage?${apiQuery}`),
    // Keep the previous charts on screen while new filters load, instead of flashing empty.
    placeholderData: keepPreviousData,
  });
}

export function useUsageOptions(account: string | null, member: string | null = null) {
  return useQuery({
    queryKey: usageQueryKeys.options(account, member),
    queryFn: () => {
      const query = new URLSearchParams({ ...(account ? { account } : {}), ...(member ? { member } : {}) });
      return consoleFetch<UsageFilterOptions>(`/api/console/usage/options${query.size ? `?${query}` : ""}`);
    },
    staleTime: 60_000,
  });
}

/** `member`: an organization admin's member filter (a membership id), or "" for everyone. */
export function useDashboardFigures(member = "") {
  return useQuery({
    queryKey: usageQueryKeys.dashboard(member),
    queryFn: () => consoleFetch<DashboardFigures>(`/api/console/usage/summary${member ? `?member=${encodeURIComponent(member)}` : ""}`),
  });
}
