export { handleListModels as GET } from "@/lib/catalog/http/model-list-handlers";
export const dynamic = "force-dynamic";
