/** An organization's own audit trail for its admins: membership, limits, invitations, alerts and credits, newest first. */
import { DataTable } from "@/components/ui/data-table";
import type { AuditEventView } from "@/lib/audit/audit-log";

const who = (event: AuditEventView) => (event.actorKind === "cli" ? `cli ${event.actorName ?? ""}`.trim() : (event.actorEmail ?? "system"));

export function OrganizationAudit({ events }: { events: AuditEventView[] }) {
  if (events.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing recorded yet.</p>;
  return (
    <DataTable caption="Audit trail" columns={[{ label: "Time" }, { label: "Who" }, { label: "Action" }, { label: "About" }]}>
      {events.map((event) => (
        <tr key={event.id}>
          <td className="whitespace-nowrap px-3 py-2 tabular-nums">{event.createdAt.slice(0, 16).replace("T", " ")} UTC</td>
          <td className="px-3 py-2 break-all">{who(event)}</td>
          <td className="px-3 py-2 font-mono text-xs">{event.action}</td>
          <td className="px-3 py-2 break-all">{event.targetLabel ?? "—"}</td>
        </tr>
      ))}
    </DataTable>
  );
}
