import type { Metadata } from "next";
import { Suspense } from "react";
import { UsageView } from "@/components/usage/usage-view";
import { requirePageAccount } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage() {
  const { user, account } = await requirePageAccount();
  return (
    // The view reads its filters from the URL (useSearchParams), which needs a Suspense boundary.
    <Suspense>
      <UsageView
        isAdmin={user.role === "admin" && account.kind === "personal"}
        isOrganizationAdmin={account.kind === "organization" && account.role === "admin"}
      />
    </Suspense>
  );
}
