import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { listUsers } from "@/lib/auth/user-service";
import { requirePageAdmin } from "@/lib/auth/session";
import { formatNanoUsd } from "@/lib/billing/money";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requirePageAdmin();
  const users = await listUsers(getDb());
  return (
    <>
      <PageHeader title="Admin" description="Accounts on this Switchyard. Provider, price and user management arrive with the admin console." />
      <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Users</caption>
          <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900">
            <tr>
              <th scope="col" className="px-3 py-2">Email</th>
              <th scope="col" className="px-3 py-2">Role</th>
              <th scope="col" className="px-3 py-2">Status</th>
              <th scope="col" className="px-3 py-2 text-right">API keys</th>
              <th scope="col" className="px-3 py-2 text-right">Balance</th>
              <th scope="col" className="px-3 py-2">Joined</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {users.map((u) => (
              <tr key={u.id}>
                <td className="px-3 py-2">{u.email}</td>
                <td className="px-3 py-2">{u.role}</td>
                <td className="px-3 py-2">{u.status}</td>
                <td className="px-3 py-2 text-right tabular-nums">{u.keys}</td>
                <td className="px-3 py-2 text-right tabular-nums">${formatNanoUsd(u.balanceNanoUsd)}</td>
                <td className="px-3 py-2">{u.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
