export { handleGetModel as GET, handleReplaceModel as PUT, handleSetModelEnabled as PATCH } from "@/lib/catalog/admin/http/admin-model-handlers";
export const dynamic = "force-dynamic";
