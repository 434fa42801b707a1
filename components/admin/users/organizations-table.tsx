/** The instance admin's list of organizations: balance, what is available, members and admins. */
import { DataTable } from "@/components/ui/data-table";
import { Money } from "@/components/ui/money";

export type OrganizationRow = { id: string; name: string; balanceNanoUsd: bigint; availableNanoUsd: bigint; members: number; admins: number; createdAt: Date };

export function OrganizationsTable({ organizations }: { organizations: OrganizationRow[] }) {
  if (organizations.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">No organizations yet.</p>;
  return (
    <DataTable
      caption="Organizations"
      columns={[
        { label: "Name" },
        { label: "Balance", align: "right" },
        { label: "Available", align: "right" },
        { label: "Members", align: "right" },
        { label: "Created" },
      ]}
    >
      {organizations.map((o) => (
        <tr key={o.id}>
          <td className="px-3 py-2 font-medium">{o.name}</td>
          <td className="px-3 py-2 text-right tabular-nums">
            <Money amount={o.balanceNanoUsd} />
          </td>
          <td className="px-3 py-2 text-right tabular-nums">
            <Money amount={o.availableNanoUsd} />
          </td>
          <td className="px-3 py-2 text-right tabular-nums">
            {o.members} ({o.admins} admin{o.admins === 1 ? "" : "s"})
          </td>
          <td className="whitespace-nowrap px-3 py-2">{o.createdAt.toISOString().slice(0, 10)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
