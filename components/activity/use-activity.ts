"use client";
/** TanStack Query hooks for the activity page (the only client code that calls the activity API). */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { consoleFetch } from "@/components/console/console-fetch";
import type { ActivityDetailDto } from "@/lib/activity/activity-detail";
import type { ActivityPage } from "@/lib/activity/activity-query";

export type ActivityOptions = {
  models: string[];
  providers: string[];
  keys: { id: string; name: string; start: string }[];
  finishReasons: string[];
  apis: string[];
  accounts: { id: string; email: string }[];
  /** an organization's members, for its admins' member filter */
  members: { id: string; email: string }[];
};

export const activityQueryKeys = {
  all: ["activity"] as const,
  list: (query: string) => [...activityQueryKeys.all, "list", query] as const,
  detail: (id: string) => [...activityQueryKeys.all, "detail", id] as const,
  options: (account: string) => [...activityQueryKeys.all, "options", account] as const,
};

/** `query` is the filter part of the page's URL (no cursor, no detail id). */
export function useActivityPages(query: string) {
  return useInfiniteQuery({
    queryKey: activityQueryKeys.list(query),
    queryFn: ({ pageParam }) =>
      consoleFetch<ActivityPage>(`/api/console/activity?${query}${pageParam ? `${query ? "&" : ""}cursor=${encodeURIComponent(pageParam)}` : ""}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useActivityDetail(id: string | null) {
  return useQuery({
    queryKey: activityQueryKeys.detail(id ?? ""),
    queryFn: () => consoleFetch<ActivityDetailDto>(`/api/console/activity/${encodeURIComponent(id!)}`),
    enabled: id !== null,
    // A finished call never changes.
    staleTime: Infinity,
  });
}

export function useActivityOptions(account: string) {
  return useQuery({
    queryKey: activityQueryKeys.options(account),
    queryFn: () => consoleFetch<ActivityOptions>(`/api/console/activity/options${account ? `?account=${encodeURIComponent(account)}` : ""}`),
    staleTime: 60_000,
  });
}
