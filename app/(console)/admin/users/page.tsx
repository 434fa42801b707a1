import type { Metadata } from "next";
import { UsersManager } from "@/components/admin/users/users-manager";
import { PageHeader } from "@/components/console/page-header";
import { requirePageAdmin } from "@/lib/auth/session";
import { listAdminUsers } from "@/lib/auth/user-admin";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage() {
  const admin = await requirePageAdmin();
  const users = await listAdminUsers(getDb());
  return (
    <>
      <PageHeader title="Users" description="Accounts on this Switchyard: balance, spend, role and status. Every change is recorded in the audit log." />
      <UsersManager initialUsers={users} currentUserId={admin.id} />
    </>
  );
}
