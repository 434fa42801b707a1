import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/console/page-header";
import { listUsers } from "@/lib/auth/user-service";
import { requirePageAdmin } from "@/lib/auth/session";
import { formatNanoUsd } from "@/lib/billing/money";
import { getDb } from "@/lib/db/client";
import { DataTable } from "@/components/ui/data-table";
import { HealthProbesForm } from "@/components/admin/health-probes-form";
import { getCatalogSnapshot } from "@/lib/catalog/catalog-cache";
import { readHealthProbeSettings } from "@/lib/settings/health-probe-settings";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requirePageAdmin();
  const [users, probes, snapshot] = await Promise.all([listUsers(getDb()), readHealthProbeSettings(getDb()), getCatalogSnapshot()]);
  const endpoints = snapshot.models.filter((m) => m.enabled).flatMap((m) => m.endpoints.filter((e) => e.enabled && e.provider.enabled)).length;
  return (
    <>
      <PageHeader title="Admin" description="Accounts on this Switchyard. Provider, price and user management arrive with the admin console." />
      <DataTable caption="Users" columns={[{ label: "Email" }, { label: "Role" }, { label: "Status" }, { label: "API keys", align: "right" }, { label: "Balance", align: "right" }, { label: "Joined" }]}>
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
      </DataTable>
      <section aria-labelledby="health-probes" className="mt-8 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
        <h2 id="health-probes" className="mb-3 font-semibold">
          Health probes
        </h2>
        <HealthProbesForm initial={probes} endpoints={endpoints} />
      </section>
      <section aria-labelledby="rate-limits" className="mt-8 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
        <h2 id="rate-limits" className="mb-3 font-semibold">
          Rate limits
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Requests and tokens per minute for every account, per model family, and per account.{" "}
          <Link href="/admin/rate-limits" className="text-teal-700 underline dark:text-teal-400">
            Set rate limits
          </Link>
        </p>
      </section>
    </>
  );
}
