import type { Metadata } from "next";
import { UsersManager } from "@/components/admin/users/users-manager";
import { PageHeader } from "@/components/console/page-header";
import { requirePageAdmin } from "@/lib/auth/session";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage() {
  const admin = await requirePageAdmin();
  const users = await pageReads.adminUsers();
  return (
    <>
      <PageHeader title="Users" description="Accounts on this Switchyard: balance, spend, role and status. Every change is recorded in the audit log." />
      <UsersManager initialUsers={users} currentUserId={admin.id} />
    </>
  );
}
