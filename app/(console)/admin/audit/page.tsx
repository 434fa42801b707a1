import type { Metadata } from "next";
import { AuditLogView } from "@/components/admin/audit/audit-log-view";
import { requirePageAdmin } from "@/lib/auth/session";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "Audit log · Admin" };
export const dynamic = "force-dynamic";

export default async function AdminAuditPage() {
  await requirePageAdmin();
  const [page, targetTypes] = await Promise.all([pageReads.auditEvents(), pageReads.auditTargetTypes()]);
  return <AuditLogView firstPage={{ ...page, targetTypes }} />;
}
