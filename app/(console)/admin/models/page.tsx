import type { Metadata } from "next";
import { ModelsManager } from "@/components/admin/models/models-manager";
import { PageHeader } from "@/components/console/page-header";
import { requirePageAdmin } from "@/lib/auth/session";
import { catalogEditMode } from "@/lib/catalog/admin/catalog-admin-service";
import { describeCatalogMode } from "@/lib/catalog/admin/catalog-mode-notice";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "Models admin" };

export default async function AdminModelsPage() {
  await requirePageAdmin();
  const models = await pageReads.adminModels();
  return (
    <>
      <PageHeader title="Models" description="Models, their endpoints and prices. Changes reach the gateway within a second, on every instance." />
      <p className="mb-4 rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">{describeCatalogMode(catalogEditMode())}</p>
      <ModelsManager initialModels={models} />
    </>
  );
}
