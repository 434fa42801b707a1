import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";

export const metadata: Metadata = { title: "Billing" };

export default function BillingPage() {
  return <ComingSoon title="Billing" what="Your balance, top-ups, redemption codes and every transaction." />;
}
