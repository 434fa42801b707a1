export { handleSwitchAccount as POST } from "@/lib/organizations/http/organization-handlers";
export const dynamic = "force-dynamic";
