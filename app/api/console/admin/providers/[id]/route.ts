export { handleUpdateProvider as PATCH } from "@/lib/providers/http/provider-handlers";
export const dynamic = "force-dynamic";
