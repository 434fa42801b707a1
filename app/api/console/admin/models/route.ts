export { handleListModels as GET, handleCreateModel as POST } from "@/lib/catalog/admin/http/admin-model-handlers";
export const dynamic = "force-dynamic";
