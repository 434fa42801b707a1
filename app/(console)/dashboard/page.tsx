import type { Metadata } from "next";
import { headers } from "next/headers";
import { GettingStarted } from "@/components/console/getting-started";
import { PageHeader } from "@/components/console/page-header";
import { DashboardUsage } from "@/components/dashboard/dashboard-usage";
import { requirePageAccount } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/http/public-base-url";
import { Money } from "@/components/ui/money";
import Link from "next/link";
import { pageReads } from "@/lib/server/page-reads";
import { BalanceAlertNotice } from "@/components/organization/balance-alert-notice";
import { formatNanoUsd } from "@/lib/gateway/metering/money";

/** Below this the dashboard warns: about a day of light use. */
const LOW_BALANCE_NANO_USD = 1_000_000_000n;

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const { user, account } = await requirePageAccount();
  const [keys, hasUsage, origin, balance, alert] = await Promise.all([
    pageReads.apiKeyCount(account.id),
    pageReads.hasAnyUsage(account.id),
    headers().then(publicOrigin),
    pageReads.balance(account.id),
    account.kind === "organization" ? pageReads.balanceAlert(account.id) : null,
  ]);
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={account.kind === "organization" ? `${account.name}, as ${account.role}.` : `Welcome${user.name ? `, ${user.name}` : ""}.`}
      />
      <div className="mb-6 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
        <p className="text-xs text-zinc-500">{account.kind === "organization" ? `${account.name}'s balance` : "Balance"}</p>
        <p className="mt-1 text-2xl font-semibold">
          <Money amount={balance.totalNanoUsd} />
        </p>
      </div>
      {alert?.trippedAt && alert.thresholdNanoUsd !== null ? (
        <BalanceAlertNotice organizationName={account.name} thresholdUsd={formatNanoUsd(alert.thresholdNanoUsd)} />
      ) : null}
      {balance.totalNanoUsd < LOW_BALANCE_NANO_USD && !alert?.trippedAt ? (
        <p role="alert" className="mb-6 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Your balance is low: requests are refused once it cannot cover them.{" "}
          <Link href="/billing" className="font-medium underline">
            Top up or redeem a code
          </Link>
        </p>
      ) : null}
      {/* Rollups outlive the raw rows' retention, so an old account never sees "getting started" again. */}
      {hasUsage ? (
        <DashboardUsage organizationAdmin={account.kind === "organization" && account.role === "admin"} />
      ) : (
        <GettingStarted hasKey={keys > 0} origin={origin} />
      )}
    </>
  );
}
