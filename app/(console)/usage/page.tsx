import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";

export const metadata: Metadata = { title: "Usage" };

export default function UsagePage() {
  return <ComingSoon title="Usage" what="Tokens, requests and cost over time, by model, provider and API key, with performance charts." />;
}
