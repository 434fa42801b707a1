export { handleChatCompletion as POST } from "@/lib/server/gateway";
export {
  handleApiEdge as GET,
  handleApiEdge as HEAD,
  handleApiEdge as PUT,
  handleApiEdge as PATCH,
  handleApiEdge as DELETE,
  handleApiEdge as OPTIONS,
} from "@/lib/server/api-edges";
export const dynamic = "force-dynamic";
