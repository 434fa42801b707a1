export { handleUpdateApiKey as PATCH, handleDeleteApiKey as DELETE } from "@/lib/keys/http/api-key-handlers";
export const dynamic = "force-dynamic";
