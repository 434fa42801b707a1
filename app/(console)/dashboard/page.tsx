import type { Metadata } from "next";
import { headers } from "next/headers";
import { GettingStarted } from "@/components/console/getting-started";
import { PageHeader } from "@/components/console/page-header";
import { countGenerationsForUser } from "@/lib/activity/generation-service";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { publicOrigin } from "@/lib/http/public-base-url";
import { countApiKeys } from "@/lib/keys/api-key-counts";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requirePageUser();
  const db = getDb();
  const [keys, calls, origin] = await Promise.all([countApiKeys(db, user.id), countGenerationsForUser(db, user.id), headers().then(publicOrigin)]);
  return (
    <>
      <PageHeader title="Dashboard" description={`Welcome${user.name ? `, ${user.name}` : ""}.`} />
      {calls === 0 ? <GettingStarted hasKey={keys > 0} origin={origin} /> : null}
      <p className="mt-6 text-sm text-zinc-600 dark:text-zinc-400">
        Balance, spend over time, error rates and top models will appear here once billing and activity logging land.
      </p>
    </>
  );
}
