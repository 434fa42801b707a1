import type { Metadata } from "next";
import Link from "next/link";
import { HealthProbesForm } from "@/components/admin/health-probes-form";
import { OrganizationLimitsForm } from "@/components/admin/organization-limits-form";
import { PageHeader } from "@/components/console/page-header";
import { requirePageAdmin } from "@/lib/auth/session";
import { getCatalogSnapshot } from "@/lib/catalog/catalog-cache";
import { formatQuantity } from "@/lib/format/quantity";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "Admin" };

const SECTIONS = [
  { href: "/admin/providers", title: "Provider setup", text: "Upstream providers, their base URLs and encrypted credentials; test a credential." },
  { href: "/admin/models", title: "Models", text: "Models, endpoints and prices; import and export the catalog." },
  { href: "/admin/users", title: "Users", text: "Accounts, roles, suspension and balance adjustments." },
  { href: "/admin/rate-limits", title: "Rate limits", text: "Requests and tokens per minute for every account, per model family, and per account." },
  { href: "/admin/audit", title: "Audit log", text: "Every admin action: who, what, when, and what changed." },
];

export default async function AdminPage() {
  await requirePageAdmin();
  const [probes, snapshot, users, organizationLimits] = await Promise.all([
    pageReads.healthProbeSettings(),
    getCatalogSnapshot(),
    pageReads.accountCount(),
    pageReads.organizationLimitSettings(),
  ]);
  const endpoints = snapshot.models.filter((m) => m.enabled).flatMap((m) => m.endpoints.filter((e) => e.enabled && e.provider.enabled)).length;
  return (
    <>
      <PageHeader
        title="Admin"
        description={`This Switchyard: ${formatQuantity(snapshot.models.length, "model")}, ${formatQuantity(endpoints, "enabled endpoint")}, ${formatQuantity(users, "account")}.`}
      />
      <nav aria-label="Admin pages" className="grid gap-3 sm:grid-cols-2">
        {SECTIONS.map((section) => (
          <Link key={section.href} href={section.href} className="rounded-lg border border-zinc-200 p-4 hover:border-teal-600 dark:border-zinc-800">
            <span className="font-semibold">{section.title}</span>
            <span className="mt-1 block text-sm text-zinc-600 dark:text-zinc-400">{section.text}</span>
          </Link>
        ))}
      </nav>
      <section aria-labelledby="health-probes" className="mt-8 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
        <h2 id="health-probes" className="mb-3 font-semibold">
          Health probes
        </h2>
        <HealthProbesForm initial={probes} endpoints={endpoints} />
      </section>
      <section aria-labelledby="organization-limits" className="mt-8 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
        <h2 id="organization-limits" className="mb-3 font-semibold">
          Organization limits
        </h2>
        <OrganizationLimitsForm initial={organizationLimits} />
      </section>
    </>
  );
}
