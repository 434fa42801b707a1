import type { Metadata } from "next";
import { Suspense } from "react";
import { ActivityExplorer } from "@/components/activity/activity-explorer";
import { PageHeader } from "@/components/console/page-header";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Activity" };

export default async function ActivityPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader
        title="Activity"
        description={
          user.role === "admin"
            ? "Every call through the gateway, from every account: which provider served it, what it cost, how fast it was."
            : "Every call made with your API keys: which provider served it, what it cost, how fast it was."
        }
      />
      <Suspense>
        <ActivityExplorer isAdmin={user.role === "admin"} />
      </Suspense>
    </>
  );
}
