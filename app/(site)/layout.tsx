import type { ReactNode } from "react";
import { DemoBanner } from "@/components/demo-banner";
import { SiteHeader } from "@/components/site-header";

export default function SiteLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <DemoBanner />
      <SiteHeader />
      {children}
    </>
  );
}
