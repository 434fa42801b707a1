export { handleUpdateOrganization as PATCH, handleDeleteOrganization as DELETE } from "@/lib/organizations/http/organization-handlers";
export const dynamic = "force-dynamic";
