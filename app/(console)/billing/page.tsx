import type { Metadata } from "next";
import { AdminBilling } from "@/components/billing/admin-billing";
import { RedeemForm } from "@/components/billing/redeem-form";
import { TransactionsTable } from "@/components/billing/transactions-table";
import { PageHeader } from "@/components/console/page-header";
import { requirePageAccount } from "@/lib/auth/session";
import { caughtUpRecords } from "@/lib/activity/http/caught-up";
import { Money } from "@/components/ui/money";
import { pageReads } from "@/lib/server/page-reads";
import { BalanceAlertForm } from "@/components/organization/balance-alert-form";
import { BalanceAlertNotice } from "@/components/organization/balance-alert-notice";
import { formatNanoUsd } from "@/lib/gateway/metering/money";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingPage() {
  const { user, account } = await requirePageAccount();
  // A charge names its model from the call's record: this instance's queued records are written first.
  await caughtUpRecords();
  const [balance, firstPage, alert] = await Promise.all([
    pageReads.balance(account.id),
    pageReads.transactions(account.id),
    account.kind === "organization" ? pageReads.balanceAlert(account.id) : null,
  ]);
  const threshold = alert?.thresholdNanoUsd ?? null;
  const cards = [
    { label: "Balance", value: balance.totalNanoUsd },
    { label: "Top-up credits", value: balance.topUpNanoUsd },
    { label: "Bonus credits", value: balance.bonusNanoUsd },
    { label: "Held by requests in flight", value: balance.reservedNanoUsd },
  ];
  return (
    <>
      <PageHeader
        title="Billing"
        description={
          account.kind === "organization"
            ? `${account.name}'s calls are paid from its prepaid balance, shared by its members. Bonus credits (codes) are spent first.`
            : "Calls are paid from this prepaid balance. Bonus credits (trial, codes) are spent first."
        }
      />
      {alert?.trippedAt && threshold !== null ? <BalanceAlertNotice organizationName={account.name} thresholdUsd={formatNanoUsd(threshold)} /> : null}
      <dl className="grid gap-4 sm:grid-cols-4">
        {cards.map((card) => (
          <div key={card.label} className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
            <dt className="text-xs text-zinc-500">{card.label}</dt>
            <dd className="mt-1 text-xl font-semibold">
              <Money amount={card.value} />
            </dd>
          </div>
        ))}
      </dl>
      {account.role === "admin" ? (
        <section aria-labelledby="redeem" className="mt-8">
          <h2 id="redeem" className="mb-3 text-lg font-semibold">
            Redeem a code
          </h2>
          <RedeemForm />
        </section>
      ) : null}
      {alert && account.role === "admin" ? (
        <section aria-labelledby="alert" className="mt-8">
          <h2 id="alert" className="mb-3 text-lg font-semibold">
            Balance alert
          </h2>
          <BalanceAlertForm initial={{ thresholdUsd: threshold === null ? null : formatNanoUsd(threshold), webhookUrl: alert.webhookUrl }} />
        </section>
      ) : null}
      <section aria-labelledby="transactions" className="mt-8">
        <h2 id="transactions" className="mb-3 text-lg font-semibold">
          Transactions
        </h2>
        <TransactionsTable firstPage={firstPage} />
      </section>
      {user.role === "admin" && account.kind === "personal" ? <AdminBilling /> : null}
    </>
  );
}
