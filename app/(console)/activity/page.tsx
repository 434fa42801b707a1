import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";

export const metadata: Metadata = { title: "Activity" };

export default function ActivityPage() {
  return <ComingSoon title="Activity" what="Every call with its model, provider, tokens, cost, latency and the failover chain, with filters and CSV export." />;
}
