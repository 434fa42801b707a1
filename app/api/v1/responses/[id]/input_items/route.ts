export { handleListInputItems as GET } from "@/lib/responses/http/stored-response-handlers";
export { handleApiEdge as POST, handleApiEdge as PUT, handleApiEdge as PATCH, handleApiEdge as DELETE, handleApiEdge as OPTIONS } from "@/lib/server/api-edges";
export const dynamic = "force-dynamic";
