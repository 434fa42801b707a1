export { handleCancelInvitation as DELETE } from "@/lib/organizations/http/organization-handlers";
export const dynamic = "force-dynamic";
