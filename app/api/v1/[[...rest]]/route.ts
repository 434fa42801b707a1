// Every path under this prefix that no other route serves: JSON 404/405 in the surface's shape.
export {
  handleApiEdge as GET,
  handleApiEdge as HEAD,
  handleApiEdge as POST,
  handleApiEdge as PUT,
  handleApiEdge as PATCH,
  handleApiEdge as DELETE,
  handleApiEdge as OPTIONS,
} from "@/lib/server/api-edges";
export const dynamic = "force-dynamic";
