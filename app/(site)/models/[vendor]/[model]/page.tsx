import type { Metadata } from "next";
import { PageSection } from "@/components/ui/page-section";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { ModelFacts, ModelHeader, ModelProvidersSection, ModelSnippetsSection } from "@/components/models/model-detail-sections";
import { ProviderChartsPanel } from "@/components/models/provider-charts";
import { getCatalogSnapshot } from "@/lib/catalog/catalog-cache";
import { listedModels } from "@/lib/catalog/catalog-snapshot";
import { embeddingSnippets } from "@/lib/public-pages/embedding-snippets";
import { modelKindOf } from "@/lib/gateway/catalog-view/model-kind";
import { modelSnippets } from "@/lib/public-pages/model-snippets";
import { surfaceServes } from "@/lib/server/api-routes";
import { publicOrigin } from "@/lib/http/public-base-url";
import { modelStatistics } from "@/lib/server/model-statistics";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ vendor: string; model: string }> };

async function findModel(params: Params["params"]) {
  const { vendor, model } = await params;
  const slug = `${decodeURIComponent(vendor)}/${decodeURIComponent(model)}`;
  return listedModels(await getCatalogSnapshot()).find((m) => m.slug === slug) ?? null;
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const model = await findModel(params);
  return { title: model ? model.displayName : "Model not found" };
}

export default async function ModelPage({ params }: Params) {
  const model = await findModel(params);
  if (!model) notFound();
  const [{ rows, charts, fastest }, origin] = await Promise.all([modelStatistics(model), headers().then(publicOrigin)]);
  const snippets =
    modelKindOf(model) === "embedding"
      ? embeddingSnippets(origin, model.slug)
      : modelSnippets(origin, model.slug, rows[0]?.providerSlug ?? null, { geminiServed: surfaceServes("google") });
  return (
    <main className="mx-auto max-w-6xl px-4 py-10">
      <ModelHeader model={model} />
      <ModelFacts model={model} rows={rows} fastest={fastest} />

      <ModelProvidersSection rows={rows} />

      <PageSection id="charts" title="The last 24 hours">
        <ProviderChartsPanel charts={charts} />
      </PageSection>

      <ModelSnippetsSection snippets={snippets} />
    </main>
  );
}
