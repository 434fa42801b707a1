export { handleReadBalanceAlert as GET, handleSetBalanceAlert as PUT } from "@/lib/organizations/http/organization-handlers";
export const dynamic = "force-dynamic";
