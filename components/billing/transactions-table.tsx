"use client";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Money } from "@/components/ui/money";
import type { TransactionDto } from "@/lib/billing/transactions";
import { useTransactions } from "./use-billing";
import { DataTable } from "@/components/ui/data-table";

const KIND_LABELS: Record<string, string> = {
  trial_grant: "Trial credit",
  top_up: "Top-up",
  redemption: "Code redeemed",
  adjustment: "Adjustment",
  charge: "API call",
  refund: "Refund",
};

/** A charge names its model and links the call in Activity; other entries show their reason. */
function Details({ row }: { row: TransactionDto }) {
  if (!row.generationId) return <>{row.reason ?? ""}</>;
  const href = `/activity?q=${encodeURIComponent(row.generationId)}&id=${encodeURIComponent(row.generationId)}`;
  return (
    <>
      {row.model ? <span className="mr-2 font-medium text-zinc-900 dark:text-zinc-100">{row.model}</span> : null}
      <Link
        href={href}
        className="font-mono text-xs text-teal-700 underline-offset-2 hover:underline dark:text-teal-400"
        aria-label={`Call ${row.generationId}${row.model ? ` to ${row.model}` : ""} in Activity`}
      >
        {row.generationId}
      </Link>
    </>
  );
}

export function TransactionsTable({ firstPage }: { firstPage: { data: TransactionDto[]; nextCursor: string | null } }) {
  const query = useTransactions(firstPage);
  const rows = query.data?.pages.flatMap((p) => p.data) ?? [];
  if (rows.length === 0)
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">No transactions yet. Your trial credit, top-ups and API calls appear here.</p>;
  return (
    <>
      <DataTable caption="Transactions" columns={[{ label: "When" }, { label: "What" }, { label: "Details" }, { label: "Amount", align: "right" }]}>
        {rows.map((row) => (
          <tr key={row.id}>
            <td className="whitespace-nowrap px-3 py-2">{new Date(row.createdAt).toLocaleString()}</td>
            <td className="px-3 py-2">{KIND_LABELS[row.kind] ?? row.kind}</td>
            <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">
              <Details row={row} />
            </td>
            <td className={`px-3 py-2 text-right ${row.amountUsd.startsWith("-") ? "" : "text-teal-700 dark:text-teal-400"}`}>
              <Money amount={row.amountUsd} signed />
            </td>
          </tr>
        ))}
      </DataTable>
      {query.hasNextPage ? (
        <Button variant="secondary" className="mt-3" disabled={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
    </>
  );
}
