import type { Metadata } from "next";
import { PageSection } from "@/components/ui/page-section";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ProviderFacts, ProviderHeader, ProviderHealthSection, ProviderUsageSection } from "@/components/providers/provider-detail-sections";
import { ProviderModelTable } from "@/components/providers/provider-model-table";
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
      <ProviderHeader provider={provider} />
      <ProviderFacts provider={provider} windows={windows} models={models} />

      <ProviderHealthSection windows={windows} />

      <PageSection id="models" title="Models">
        <ProviderModelTable rows={models} />
      </PageSection>

      <ProviderUsageSection requestsPerHour={requestsPerHour} tokensPerDay={tokensPerDay} />
    </main>
  );
}
