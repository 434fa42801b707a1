import type { Metadata } from "next";
import { AuditLogView } from "@/components/admin/audit/audit-log-view";
import { listAuditEvents, listAuditTargetTypes } from "@/lib/audit/audit-log";
import { requirePageAdmin } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Audit log · Admin" };
export const dynamic = "force-dynamic";

export default async function AdminAuditPage() {
  await requirePageAdmin();
  const [page, targetTypes] = await Promise.all([listAuditEvents(getDb()), listAuditTargetTypes(getDb())]);
  return <AuditLogView firstPage={{ ...page, targetTypes }} />;
}
