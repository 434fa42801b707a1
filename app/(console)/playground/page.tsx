import type { Metadata } from "next";
import { PlaygroundView } from "@/components/playground/playground-view";
import { requirePageUser } from "@/lib/auth/session";
import { getCatalogSnapshot } from "@/lib/catalog/catalog-cache";
import { selectPlaygroundModels } from "@/lib/playground/playground-models";

export const metadata: Metadata = { title: "Playground" };
export const dynamic = "force-dynamic";

export default async function PlaygroundPage() {
  await requirePageUser();
  return <PlaygroundView models={selectPlaygroundModels(await getCatalogSnapshot())} />;
}
