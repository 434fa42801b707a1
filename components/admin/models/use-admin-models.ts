"use client";
/** TanStack Query hooks for the admin models API and the catalog import (the only client code that calls them). */
import { useQuery } from "@tanstack/react-query";
import { consoleFetch } from "@/components/console/console-fetch";
import { useInvalidatingMutation } from "@/components/console/use-invalidating-mutation";
import type { AdminModelRow } from "@/lib/catalog/admin/catalog-admin-service";
import type { CatalogImportResult } from "@/lib/catalog/admin/catalog-import";

export const CATALOG_EXPORT_URL = "/api/console/admin/catalog";

export const adminModelQueryKeys = {
  all: ["admin-models"] as const,
  list: () => [...adminModelQueryKeys.all, "list"] as const,
};

type SaveResult = { data: AdminModelRow; changes: string[] };

export function useAdminModels(initialData?: AdminModelRow[]) {
  return useQuery({
    queryKey: adminModelQueryKeys.list(),
    queryFn: async () => (await consoleFetch<{ data: AdminModelRow[] }>("/api/console/admin/models")).data,
    initialData,
  });
}

/** Creates a model (id null) or replaces one; `model` is a catalog model from the form. */
export function useSaveModel() {
  return useInvalidatingMutation(adminModelQueryKeys.all, ({ id, model }: { id: string | null; model: unknown }) =>
    id
      ? consoleFetch<SaveResult>(`/api/console/admin/models/${encodeURIComponent(id)}`, { method: "PUT", body: model })
      : consoleFetch<SaveResult>("/api/console/admin/models", { method: "POST", body: model }),
  );
}

export function useSetModelEnabled() {
  return useInvalidatingMutation(adminModelQueryKeys.all, ({ id, enabled }: { id: string; enabled: boolean }) =>
    consoleFetch<SaveResult>(`/api/console/admin/models/${encodeURIComponent(id)}`, { method: "PATCH", body: { enabled } }),
  );
}

export function useImportCatalog() {
  return useInvalidatingMutation(adminModelQueryKeys.all, (text: string) =>
    consoleFetch<{ data: CatalogImportResult }>(CATALOG_EXPORT_URL, { method: "POST", text }),
  );
}
