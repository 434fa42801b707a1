export { handleUpdateProvider as PATCH } from "@/lib/provider-config/http/provider-handlers";
export const dynamic = "force-dynamic";
