import type { Metadata } from "next";
import { ModelEditor } from "@/components/admin/models/model-editor";
import { PageHeader } from "@/components/console/page-header";
import { requirePageAdmin } from "@/lib/auth/session";
import { catalogEditMode } from "@/lib/catalog/admin/catalog-admin-service";
import { describeCatalogMode } from "@/lib/catalog/admin/catalog-mode-notice";
import { emptyModelForm } from "@/lib/catalog/admin/model-form";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "Add a model" };

export default async function NewModelPage() {
  await requirePageAdmin();
  const providers = await pageReads.providerSlugs();
  return (
    <>
      <PageHeader title="Add a model" description="A model clients can call by its id or aliases, served by one or more endpoints." />
      <ModelEditor id={null} initial={emptyModelForm()} providers={providers} notice={describeCatalogMode(catalogEditMode())} />
    </>
  );
}
