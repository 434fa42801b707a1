export { handleTestCredential as POST } from "@/lib/provider-config/http/provider-handlers";
export const dynamic = "force-dynamic";
