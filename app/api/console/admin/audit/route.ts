export { handleListAudit as GET } from "@/lib/audit/http/audit-handlers";
export const dynamic = "force-dynamic";
