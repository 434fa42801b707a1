import type { Metadata } from "next";
import { headers } from "next/headers";
import { DocsClients, DocsIntro, DocsTables } from "@/components/docs/docs-sections";
import { apiBases, clientBaseUrls } from "@/lib/public-pages/client-base-urls";
import { exampleModelNow } from "@/lib/catalog/http/example-model-now";
import { publicOrigin } from "@/lib/http/public-base-url";
import { endpointDocs, OTHER_ENDPOINTS } from "@/lib/server/api-route-docs";
import { surfaceServes } from "@/lib/server/api-routes";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API docs" };

export default async function DocsPage() {
  const [origin, example] = await Promise.all([headers().then(publicOrigin), exampleModelNow()]);
  const base = apiBases(origin);
  const model = example.slug;
  // Every Gemini-protocol call is offered only while the route table serves that surface.
  const geminiServed = surfaceServes("google");
  // Rendered from the route table the server answers from (lib/server/api-routes.ts): it cannot list a path that is not served.
  const endpoints = [...endpointDocs(), ...OTHER_ENDPOINTS];
  return (
    <main className="mx-auto max-w-5xl px-4 py-10">
      <DocsIntro base={base} model={model} callable={example.callable} geminiServed={geminiServed} />
      <DocsTables baseUrls={clientBaseUrls(origin, { geminiServed })} endpoints={endpoints} />
      <DocsClients base={base} model={model} geminiServed={geminiServed} />
    </main>
  );
}
