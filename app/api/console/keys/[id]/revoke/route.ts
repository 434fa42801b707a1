export { handleRevokeApiKey as POST } from "@/lib/keys/http/api-key-handlers";
export const dynamic = "force-dynamic";
