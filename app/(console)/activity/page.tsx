import type { Metadata } from "next";
import { Suspense } from "react";
import { ActivityExplorer } from "@/components/activity/activity-explorer";
import { PageHeader } from "@/components/console/page-header";
import { requirePageAccount } from "@/lib/auth/session";
import type { ActiveAccount } from "@/lib/organizations/active-account";

export const metadata: Metadata = { title: "Activity" };

function describeScope(account: ActiveAccount, instanceAdmin: boolean): string {
  const what = "which provider served it, what it cost, how fast it was.";
  if (instanceAdmin) return `Every call through the gateway, from every account: ${what}`;
  if (account.kind === "personal") return `Every call made with your API keys: ${what}`;
  return account.role === "admin"
    ? `Every call made with ${account.name}'s keys, by each member: ${what}`
    : `Every call made with your keys in ${account.name}: ${what}`;
}

export default async function ActivityPage() {
  const { user, account } = await requirePageAccount();
  const instanceAdmin = user.role === "admin" && account.kind === "personal";
  return (
    <>
      <PageHeader title="Activity" description={describeScope(account, instanceAdmin)} />
      <Suspense>
        <ActivityExplorer isAdmin={instanceAdmin} isOrganizationAdmin={account.kind === "organization" && account.role === "admin"} />
      </Suspense>
    </>
  );
}
