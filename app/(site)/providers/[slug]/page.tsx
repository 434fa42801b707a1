import type { Metadata } from "next";
import { FactCards } from "@/components/ui/fact-cards";
import { PageSection } from "@/components/ui/page-section";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { StatusBadge } from "@/components/providers/status-badge";
import { ProviderModelTable } from "@/components/providers/provider-model-table";
import { ProviderWindowsTable } from "@/components/providers/provider-windows-table";
import { TimeSeriesChart } from "@/components/usage/time-series-chart";
import { NO_DATA } from "@/lib/public-pages/stat-format";
import { loadProviderDetail } from "@/lib/server/provider-statistics";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string }> };

// Metadata and the page share one load (one rollup query) per request.
const loadDetail = cache((slug: string) => loadProviderDetail(slug));
// Provider slugs are [a-z0-9-]: nothing to decode, and anything else is simply unknown.
const slugOf = async (params: Params["params"]) => (await params).slug;

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const detail = await loadDetail(await slugOf(params));
  return { title: detail ? detail.provider.name : "Provider not found" };
}

export default async function ProviderPage({ params }: Params) {
  const detail = await loadDetail(await slugOf(params));
  if (!detail) notFound();
  const { provider, windows, models, requestsPerHour, tokensPerDay } = detail;
  return (
    <main className="mx-auto max-w-6xl px-4 py-10">
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
      <FactCards
        items={[
          ["Slug", provider.slug],
          ["Native protocol", provider.protocol],
          ["Models", String(models.length)],
          ["Requests (24 h)", windows.day.requests === 0 ? NO_DATA : windows.day.requests.toLocaleString("en-US")],
        ]}
      />

      <PageSection
        id="health"
        title="Availability and latency"
        description={
          <>
            Measured by this gateway from its own traffic to this provider, all its models together: the share of calls that succeeded, time to first token
            (TTFT) and output speed.
          </>
        }
      >
        <ProviderWindowsTable windows={windows} />
      </PageSection>

      <PageSection id="models" title="Models">
        <ProviderModelTable rows={models} />
      </PageSection>

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
    </main>
  );
}
