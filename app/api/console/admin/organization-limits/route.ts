export { handleGetOrganizationLimits as GET, handleUpdateOrganizationLimits as PUT } from "@/lib/settings/http/organization-limit-handlers";
export const dynamic = "force-dynamic";
