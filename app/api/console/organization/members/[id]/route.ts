export { handleUpdateMember as PATCH, handleRemoveMember as DELETE } from "@/lib/organizations/http/organization-handlers";
export const dynamic = "force-dynamic";
