import type { Metadata } from "next";
import { OrganizationsTable } from "@/components/admin/users/organizations-table";
import { UsersManager } from "@/components/admin/users/users-manager";
import { PageHeader } from "@/components/console/page-header";
import { requirePageAdmin } from "@/lib/auth/session";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage() {
  const admin = await requirePageAdmin();
  const [users, organizations] = await Promise.all([pageReads.adminUsers(), pageReads.organizations()]);
  return (
    <>
      <PageHeader title="Users" description="Accounts on this Switchyard: balance, spend, role and status. Every change is recorded in the audit log." />
      <UsersManager initialUsers={users} currentUserId={admin.id} />
      <section aria-labelledby="organizations" className="mt-10">
        <h2 id="organizations" className="mb-3 text-lg font-semibold">
          Organizations
        </h2>
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
          Each has its own balance, keys and activity; top one up with <code>npm run cli -- credits:grant --org NAME --usd N</code> or a redemption code its
          admins redeem.
        </p>
        <OrganizationsTable organizations={organizations} />
      </section>
    </>
  );
}
