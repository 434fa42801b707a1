"use client";
/** TanStack Query hooks for the admin's providers (the only client code that calls the providers API). */
import { useMutation, useQuery } from "@tanstack/react-query";
import { consoleFetch } from "@/components/console/console-fetch";
import { useInvalidatingMutation } from "@/components/console/use-invalidating-mutation";
import type { AdminProviderDto, CredentialTestResult } from "@/lib/provider-config/provider-dto";
import type { CreateProviderInput, UpdateProviderInput } from "@/lib/provider-config/provider-input";

export const adminProviderQueryKeys = {
  all: ["admin-providers"] as const,
  list: () => [...adminProviderQueryKeys.all, "list"] as const,
};

export function useAdminProviders(initialData?: AdminProviderDto[]) {
  return useQuery({
    queryKey: adminProviderQueryKeys.list(),
    queryFn: async () => (await consoleFetch<{ data: AdminProviderDto[] }>("/api/console/admin/providers")).data,
    initialData,
  });
}

export function useCreateProvider() {
  return useInvalidatingMutation(adminProviderQueryKeys.all, (input: CreateProviderInput) =>
    consoleFetch<{ data: AdminProviderDto }>("/api/console/admin/providers", { method: "POST", body: input }),
  );
}

export function useUpdateProvider() {
  return useInvalidatingMutation(adminProviderQueryKeys.all, ({ id, input }: { id: string; input: UpdateProviderInput }) =>
    consoleFetch<{ data: AdminProviderDto }>(`/api/console/admin/providers/${encodeURIComponent(id)}`, { method: "PATCH", body: input }),
  );
}

/** Not a cache change: the result is shown where the admin asked for it. */
export function useTestCredential() {
  return useMutation({
    mutationFn: async ({ id, model }: { id: string; model?: string }) =>
      (
        await consoleFetch<{ data: CredentialTestResult }>(`/api/console/admin/providers/${encodeURIComponent(id)}/test`, {
          method: "POST",
          body: model ? { model } : {},
        })
      ).data,
  });
}
