import { headers } from "next/headers";
import { FeatureGrid, LandingHero, TryItSection } from "@/components/home/landing-sections";
import { getCatalogSnapshot } from "@/lib/catalog/catalog-cache";
import { summariseCatalog } from "@/lib/catalog/catalog-summary";
import { exampleModelNow } from "@/lib/catalog/http/example-model-now";
import { publicOrigin } from "@/lib/http/public-base-url";

export const dynamic = "force-dynamic";

export default async function LandingPage() {
  const [summary, origin, example] = await Promise.all([getCatalogSnapshot().then(summariseCatalog), headers().then(publicOrigin), exampleModelNow()]);

  return (
    <main className="mx-auto max-w-6xl px-4 pb-24">
      <LandingHero summary={summary} />

      <FeatureGrid />

      <TryItSection origin={origin} example={example} />
    </main>
  );
}
