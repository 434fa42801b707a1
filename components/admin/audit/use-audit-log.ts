"use client";
/** TanStack Query hook for the audit log (the only client code that calls the audit API). */
import { useInfiniteQuery } from "@tanstack/react-query";
import { consoleFetch } from "@/components/console/console-fetch";
import type { AuditEventView } from "@/lib/audit/audit-log";

export type AuditPage = { data: AuditEventView[]; nextCursor: string | null; targetTypes: string[] };

export const auditQueryKeys = {
  all: ["audit"] as const,
  list: (targetType: string | null) => [...auditQueryKeys.all, "list", targetType ?? "all"] as const,
};

export function useAuditLog(targetType: string | null, firstPage?: AuditPage) {
  return useInfiniteQuery({
    queryKey: auditQueryKeys.list(targetType),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams();
      if (targetType) params.set("targetType", targetType);
      if (pageParam) params.set("cursor", pageParam);
      return consoleFetch<AuditPage>(`/api/console/admin/audit${params.size ? `?${params}` : ""}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: firstPage ? { pages: [firstPage], pageParams: [null] } : undefined,
  });
}
