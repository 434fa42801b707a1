"use client";
/** TanStack Query hooks for the admin users API (the only client code that calls it). */
import { useQuery } from "@tanstack/react-query";
import { consoleFetch } from "@/components/console/console-fetch";
import { useInvalidatingMutation } from "@/components/console/use-invalidating-mutation";
import type { AdminUserRow } from "@/lib/auth/user-admin";

export const adminUserQueryKeys = {
  all: ["admin-users"] as const,
  list: () => [...adminUserQueryKeys.all, "list"] as const,
};

export function useAdminUsers(initialData?: AdminUserRow[]) {
  return useQuery({
    queryKey: adminUserQueryKeys.list(),
    queryFn: async () => (await consoleFetch<{ data: AdminUserRow[] }>("/api/console/admin/users")).data,
    initialData,
  });
}

export function useUpdateUser() {
  return useInvalidatingMutation(
    adminUserQueryKeys.all,
    ({ id, change }: { id: string; change: { role?: "admin" | "member"; status?: "active" | "suspended" } }) =>
      consoleFetch<{ data: AdminUserRow }>(`/api/console/admin/users/${encodeURIComponent(id)}`, { method: "PATCH", body: change }),
  );
}

export function useAdjustBalance() {
  return useInvalidatingMutation(adminUserQueryKeys.all, ({ id, usd, reason }: { id: string; usd: string; reason: string }) =>
    consoleFetch<{ data: AdminUserRow }>(`/api/console/admin/users/${encodeURIComponent(id)}/balance`, { method: "POST", body: { usd, reason } }),
  );
}
