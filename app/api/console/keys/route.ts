export { handleListApiKeys as GET, handleCreateApiKey as POST } from "@/lib/keys/http/api-key-handlers";
export const dynamic = "force-dynamic";
