export { handleGetGeneration as GET } from "@/lib/activity/http/generation-record-handler";
export { handleApiEdge as POST, handleApiEdge as PUT, handleApiEdge as PATCH, handleApiEdge as DELETE, handleApiEdge as OPTIONS } from "@/lib/server/api-edges";
export const dynamic = "force-dynamic";
