export { handleExportCatalog as GET, handleImportCatalog as POST } from "@/lib/catalog/admin/http/admin-model-handlers";
export const dynamic = "force-dynamic";
