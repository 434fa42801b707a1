export { handleListMembers as GET } from "@/lib/organizations/http/organization-handlers";
export const dynamic = "force-dynamic";
