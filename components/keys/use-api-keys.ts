"use client";
/** TanStack Query hooks for the signed-in user's API keys (the only client code that calls the keys API). */
import { useQuery } from "@tanstack/react-query";
import { consoleFetch } from "@/components/console/console-fetch";
import { useInvalidatingMutation } from "@/components/console/use-invalidating-mutation";
import type { ApiKeyDto } from "@/lib/keys/api-key-dto";
import type { ApiKeyFormInput } from "@/lib/keys/api-key-input";

export const apiKeyQueryKeys = {
  all: ["api-keys"] as const,
  list: () => [...apiKeyQueryKeys.all, "list"] as const,
};

export function useApiKeys(initialData?: ApiKeyDto[]) {
  return useQuery({
    queryKey: apiKeyQueryKeys.list(),
    queryFn: async () => (await consoleFetch<{ data: ApiKeyDto[] }>("/api/console/keys")).data,
    initialData,
  });
}

export function useCreateApiKey() {
  return useInvalidatingMutation(apiKeyQueryKeys.all, (input: ApiKeyFormInput) =>
    consoleFetch<{ key: string; data: ApiKeyDto }>("/api/console/keys", { method: "POST", body: input }),
  );
}

export function useUpdateApiKey() {
  return useInvalidatingMutation(apiKeyQueryKeys.all, ({ id, input }: { id: string; input: Partial<ApiKeyFormInput> }) =>
    consoleFetch<{ data: ApiKeyDto }>(`/api/console/keys/${encodeURIComponent(id)}`, { method: "PATCH", body: input }),
  );
}

export function useRevokeApiKey() {
  return useInvalidatingMutation(apiKeyQueryKeys.all, (id: string) =>
    consoleFetch<{ data: ApiKeyDto }>(`/api/console/keys/${encodeURIComponent(id)}/revoke`, { method: "POST" }),
  );
}

export function useDeleteApiKey() {
  return useInvalidatingMutation(apiKeyQueryKeys.all, (id: string) => consoleFetch<void>(`/api/console/keys/${encodeURIComponent(id)}`, { method: "DELETE" }));
}
