import type { Metadata } from "next";
import { AccountRateLimits } from "@/components/admin/account-rate-limits";
import { RateLimitSettingsForm } from "@/components/admin/rate-limit-settings-form";
import { PageHeader } from "@/components/console/page-header";
import { PageSection } from "@/components/ui/page-section";
import { requirePageAdmin } from "@/lib/auth/session";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "Rate limits" };

export default async function RateLimitsPage() {
  await requirePageAdmin();
  const [settings, accounts] = await Promise.all([pageReads.rateLimitSettings(), pageReads.accountRateLimits()]);
  return (
    <>
      <PageHeader
        title="Rate limits"
        description="Requests and tokens per minute. A request must fit its API key's limits (set on the key), its account's, and its model family's; the tightest one is reported in the x-ratelimit-* headers."
      />
      <RateLimitSettingsForm initial={settings} />
      <PageSection
        id="account-overrides"
        title="Account overrides"
        description="Replaces the default account limit for one account. Clear it to return to the default."
      >
        <AccountRateLimits initial={{ settings, accounts }} />
      </PageSection>
    </>
  );
}
