export { handleListProviders as GET, handleCreateProvider as POST } from "@/lib/provider-config/http/provider-handlers";
export const dynamic = "force-dynamic";
