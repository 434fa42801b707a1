import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ModelEditor } from "@/components/admin/models/model-editor";
import { PageHeader } from "@/components/console/page-header";
import { requirePageAdmin } from "@/lib/auth/session";
import { catalogEditMode } from "@/lib/catalog/admin/catalog-admin-service";
import { describeCatalogMode } from "@/lib/catalog/admin/catalog-mode-notice";
import { catalogModelToForm } from "@/lib/catalog/admin/model-form";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "Edit a model" };

export default async function EditModelPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ created?: string }> }) {
  await requirePageAdmin();
  const [{ id }, { created }] = await Promise.all([params, searchParams]);
  const [models, providers] = await Promise.all([pageReads.adminModels(), pageReads.providerSlugs()]);
  const row = models.find((m) => m.id === id);
  if (!row) notFound();
  return (
    <>
      <PageHeader title={row.model.name} description={<span className="font-mono">{row.model.id}</span>} />
      {created ? (
        <p role="status" className="mb-4 text-sm text-teal-700 dark:text-teal-400">
          Model created. Clients can call it now.
        </p>
      ) : null}
      <ModelEditor
        key={row.updatedAt}
        id={row.id}
        initial={catalogModelToForm(row.model)}
        providers={providers}
        notice={describeCatalogMode(catalogEditMode())}
      />
    </>
  );
}
