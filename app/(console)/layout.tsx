import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/console/console-shell";
import { DemoBanner } from "@/components/demo-banner";
import { requirePageAccount } from "@/lib/auth/session";
import { pageReads } from "@/lib/server/page-reads";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { user, account } = await requirePageAccount();
  const organizations = await pageReads.organizationsOf(user.id);
  const choices = [
    { id: user.id, name: user.name ?? user.email, kind: "personal" as const, role: "admin" as const },
    ...organizations.map((o) => ({ id: o.id, name: o.name, kind: "organization" as const, role: o.role })),
  ];
  return (
    <>
      <DemoBanner />
      <ConsoleShell
        user={{ email: user.email, name: user.name, role: user.role }}
        account={{ active: { id: account.id, name: account.name, kind: account.kind, role: account.role }, choices }}
      >
        {children}
      </ConsoleShell>
    </>
  );
}
