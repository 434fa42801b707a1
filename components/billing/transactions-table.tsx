"use client";
import { Button } from "@/components/ui/button";
import type { TransactionDto } from "@/lib/billing/transactions";
import { useTransactions } from "./use-billing";
import { DataTable } from "@/components/ui/data-table";

const KIND_LABELS: Record<string, string> = { trial_grant: "Trial credit", top_up: "Top-up", redemption: "Code redeemed", adjustment: "Adjustment", charge: "API call", refund: "Refund" };

export function TransactionsTable({ firstPage }: { firstPage: { data: TransactionDto[]; nextCursor: string | null } }) {
  const query = useTransactions(firstPage);
  const rows = query.data?.pages.flatMap((p) => p.data) ?? [];
  if (rows.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">No transactions yet. Your trial credit, top-ups and API calls appear here.</p>;
  return (
    <>
      <DataTable caption="Transactions" columns={[{ label: "When" }, { label: "What" }, { label: "Details" }, { label: "Amount", align: "right" }]}>
            {rows.map((row) => (
              <tr key={row.id}>
                <td className="whitespace-nowrap px-3 py-2">{new Date(row.createdAt).toLocaleString()}</td>
                <td className="px-3 py-2">{KIND_LABELS[row.kind] ?? row.kind}</td>
                <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{row.reason ?? (row.generationId ? <code className="font-mono text-xs">{row.generationId}</code> : "")}</td>
                <td className={`px-3 py-2 text-right tabular-nums ${row.amountUsd.startsWith("-") ? "" : "text-teal-700 dark:text-teal-400"}`}>
                  {row.amountUsd.startsWith("-") ? `−$${row.amountUsd.slice(1)}` : `+$${row.amountUsd}`}
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
