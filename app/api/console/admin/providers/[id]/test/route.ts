export { handleTestCredential as POST } from "@/lib/providers/http/provider-handlers";
export const dynamic = "force-dynamic";
