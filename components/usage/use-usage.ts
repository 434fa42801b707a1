"use client";
/** TanStack Query hooks for usage charts and dashboard figures (the only client code that calls the usage APIs). */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { consoleFetch } from "@/components/console/console-fetch";
import type { DashboardFigures } from "@/lib/activity/dashboard-figures";
import type { UsageCharts } from "@/lib/activity/usage-charts";
import type { UsageFilterOptions } from "@/lib/activity/usage-query";

export const usageQueryKeys = {
  all: ["usage"] as const,
  charts: (apiQuery: string) => [...usageQueryKeys.all, "charts", apiQuery] as const,
  options: (account: string | null) => [...usageQueryKeys.all, "options", account ?? ""] as const,
  dashboard: (timeZone: string) => [...usageQueryKeys.all, "dashboard", timeZone] as const,
};

/** Chart data for an API query string (see lib/activity/usage-search-params.ts); null waits. */
export function useUsageCharts(apiQuery: string | null) {
  return useQuery({
    queryKey: usageQueryKeys.charts(apiQuery ?? ""),
    queryFn: () => consoleFetch<UsageCharts>(`/api/console/usage?${apiQuery}`),
    enabled: apiQuery !== null,
    // Keep the previous charts on screen while new filters load, instead of flashing empty.
    placeholderData: keepPreviousData,
  });
}

export function useUsageOptions(account: string | null) {
  return useQuery({
    queryKey: usageQueryKeys.options(account),
    queryFn: () => consoleFetch<UsageFilterOptions>(`/api/console/usage/options${account ? `?account=${encodeURIComponent(account)}` : ""}`),
    staleTime: 60_000,
  });
}

export function useDashboardFigures(timeZone: string | null) {
  return useQuery({
    queryKey: usageQueryKeys.dashboard(timeZone ?? ""),
    queryFn: () => consoleFetch<DashboardFigures>(`/api/console/usage/summary?tz=${encodeURIComponent(timeZone ?? "UTC")}`),
    enabled: timeZone !== null,
  });
}

const subscribeNever = () => () => {};
const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** The browser's IANA time zone; null while rendering on the server, which does not know it. */
export function useBrowserTimeZone(): string | null {
  return useSyncExternalStore(subscribeNever, browserTimeZone, () => null);
}
