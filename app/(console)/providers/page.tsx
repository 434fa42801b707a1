import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";

export const metadata: Metadata = { title: "Providers" };

export default function ProvidersPage() {
  return <ComingSoon title="Providers" what="Each provider's models, prices, availability and latency, measured from this gateway's own traffic." />;
}
