import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { FallbackModelForm } from "@/components/settings/fallback-model-form";
import { StoreContentForm } from "@/components/settings/store-content-form";
import { retentionPolicy } from "@/lib/activity/retention";
import { ThemeToggle } from "@/components/theme-toggle";
import { getCatalogSnapshot } from "@/lib/catalog/catalog-cache";
import { listedModels } from "@/lib/catalog/catalog-snapshot";
import { requirePageAccount } from "@/lib/auth/session";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { user, account } = await requirePageAccount();
  const [settings, snapshot] = await Promise.all([pageReads.accountSettings(account.id), getCatalogSnapshot()]);
  // Routing and privacy belong to the active account: an organization's are its admins' to change.
  const editable = account.role === "admin";
  return (
    <>
      <PageHeader title="Settings" />
      <section aria-labelledby="account" className="rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
        <h2 id="account" className="font-semibold">
          Account
        </h2>
        <dl className="mt-3 grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
          <dt className="text-zinc-500">Email</dt>
          <dd>{user.email}</dd>
          <dt className="text-zinc-500">Name</dt>
          <dd>{user.name ?? "—"}</dd>
          <dt className="text-zinc-500">Role</dt>
          <dd>{user.role}</dd>
          <dt className="text-zinc-500">Acting as</dt>
          <dd>{account.kind === "organization" ? `${account.name} (organization, ${account.role})` : "Your personal account"}</dd>
        </dl>
      </section>
      <section aria-labelledby="appearance" className="mt-6 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
        <h2 id="appearance" className="font-semibold">
          Appearance
        </h2>
        <div className="mt-3 flex items-center gap-3 text-sm">
          Theme (system, light or dark): <ThemeToggle />
        </div>
      </section>
      {editable ? null : (
        <p className="mt-6 text-sm text-zinc-600 dark:text-zinc-400">{account.name}&apos;s routing and privacy settings are changed by its admins.</p>
      )}
      {editable ? <AccountSettingsSections settings={settings} models={listedModels(snapshot).map((m) => m.slug)} /> : null}
    </>
  );
}

function AccountSettingsSections({ settings, models }: { settings: { defaultFallbackModel: string | null; storeContent: boolean }; models: string[] }) {
  return (
    <>
      <section aria-labelledby="routing" className="mt-6 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
        <h2 id="routing" className="mb-3 font-semibold">
          Routing
        </h2>
        <FallbackModelForm initial={settings.defaultFallbackModel} models={models} />
      </section>
      <section aria-labelledby="privacy" className="mt-6 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
        <h2 id="privacy" className="mb-3 font-semibold">
          Privacy
        </h2>
        <StoreContentForm initial={settings.storeContent} retentionDays={retentionPolicy().contentDays} />
      </section>
    </>
  );
}
