/**
 * A provider page's sections (app/(site)/providers/[slug]/page.tsx): its header and key
 * facts, its availability and latency, and its usage charts.
 */
import Link from "next/link";
import { ProviderWindowsTable } from "@/components/providers/provider-windows-table";
import { StatusBadge } from "@/components/providers/status-badge";
import { FactCards } from "@/components/ui/fact-cards";
import { PageSection } from "@/components/ui/page-section";
import { TimeSeriesChart } from "@/components/usage/time-series-chart";
import type { TimeSeriesChart as TimeSeriesData } from "@/lib/activity/usage-charts";
import type { ProviderModelRow, ProviderWindows } from "@/lib/public-pages/provider-detail";
import { NO_DATA } from "@/lib/public-pages/stat-format";
import type { ProviderDetail } from "@/lib/server/provider-statistics";

type Provider = ProviderDetail["provider"];

export function ProviderHeader({ provider }: { provider: Provider }) {
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <Link href="/providers" className="hover:underline">
          Providers
        </Link>{" "}
        / {provider.slug}
      </nav>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{provider.name}</h1>
        <StatusBadge status={provider.status} />
      </div>
      {provider.status === "not_configured" ? (
        <p role="note" className="mt-3 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Not configured: this gateway has no credential for {provider.name}, so its endpoints are unavailable and no calls are routed to it. An admin can add
          one under Admin → Providers.
        </p>
      ) : null}
    </>
  );
}

export function ProviderFacts({ provider, windows, models }: { provider: Provider; windows: ProviderWindows; models: ProviderModelRow[] }) {
  return (
    <FactCards
      items={[
        ["Slug", provider.slug],
        ["Native protocol", provider.protocol],
        ["Models", String(models.length)],
        ["Requests (24 h)", windows.day.requests === 0 ? NO_DATA : windows.day.requests.toLocaleString("en-US")],
      ]}
    />
  );
}

export function ProviderHealthSection({ windows }: { windows: ProviderWindows }) {
  return (
    <PageSection
      id="health"
      title="Availability and latency"
      description={
        <>
          Measured by this gateway from its own traffic to this provider, all its models together: the share of calls that succeeded, time to first token (TTFT)
          and output speed.
        </>
      }
    >
      <ProviderWindowsTable windows={windows} />
    </PageSection>
  );
}

export function ProviderUsageSection({ requestsPerHour, tokensPerDay }: { requestsPerHour: TimeSeriesData; tokensPerDay: TimeSeriesData }) {
  return (
    <PageSection id="usage" title="Usage">
      <div className="grid gap-4 lg:grid-cols-2">
        <TimeSeriesChart
          title="Requests per hour, last 24 hours"
          description="All accounts, health probes included; times in UTC."
          data={requestsPerHour}
          kind="requests"
          time={{ granularity: "hour", timeZone: "UTC" }}
          emptyText="No data yet: no calls in the last 24 hours."
        />
        <TimeSeriesChart
          title="Tokens per day, last 30 days"
          description="All accounts; input excludes cache reads and writes, output excludes reasoning; days in UTC."
          data={tokensPerDay}
          kind="tokens"
          time={{ granularity: "day", timeZone: "UTC" }}
          emptyText="No data yet: no tokens in the last 30 days."
        />
      </div>
    </PageSection>
  );
}
