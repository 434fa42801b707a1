import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/console/console-shell";
import { DemoBanner } from "@/components/demo-banner";
import { requirePageUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <>
      <DemoBanner />
      <ConsoleShell user={{ email: user.email, name: user.name, role: user.role }}>{children}</ConsoleShell>
    </>
  );
}
