export { handleBalance as GET } from "@/lib/billing/http/balance-handler";
export { handleApiEdge as POST, handleApiEdge as PUT, handleApiEdge as PATCH, handleApiEdge as DELETE, handleApiEdge as OPTIONS } from "@/lib/server/api-edges";
export const dynamic = "force-dynamic";
