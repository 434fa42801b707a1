"use client";
/** Admin → Audit log: who did what, when, to which target, and what changed. */
import { useState } from "react";
import { PageHeader } from "@/components/console/page-header";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { describeAuditActor } from "@/lib/audit/audit-actor-label";
import { diffAuditValues } from "@/lib/audit/audit-diff";
import type { AuditEventView } from "@/lib/audit/audit-log";
import { useAuditLog, type AuditPage } from "./use-audit-log";

function Changes({ event }: { event: AuditEventView }) {
  const changes = diffAuditValues(event.before, event.after);
  if (changes.length === 0) return <span className="text-zinc-500">no changes</span>;
  return (
    <details>
      <summary className="cursor-pointer text-teal-700 dark:text-teal-400">
        {changes.length} field{changes.length === 1 ? "" : "s"}
      </summary>
      <table className="mt-2 text-xs">
        <tbody>
          {changes.map((change) => (
            <tr key={change.field}>
              <th scope="row" className="pr-3 text-left font-medium">
                {change.field}
              </th>
              <td className="pr-2 font-mono text-red-700 line-through decoration-red-400/60 dark:text-red-400">{change.before ?? ""}</td>
              <td className="font-mono text-teal-800 dark:text-teal-300">{change.after ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function TargetTypeFilter({ value, targetTypes, onChange }: { value: string | null; targetTypes: string[]; onChange: (targetType: string | null) => void }) {
  return (
    <div className="mb-4 flex items-center gap-2">
      <label htmlFor="audit-target-type" className="text-sm font-medium">
        Target
      </label>
      <select
        id="audit-target-type"
        value={value ?? ""}
        onChange={(event) => onChange(event.target.value || null)}
        className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        <option value="">All</option>
        {targetTypes.map((type) => (
          <option key={type} value={type}>
            {type}
          </option>
        ))}
      </select>
    </div>
  );
}

function AuditEventRow({ event }: { event: AuditEventView }) {
  return (
    <tr className="align-top">
      <td className="whitespace-nowrap px-3 py-2">
        <time dateTime={event.createdAt}>{new Date(event.createdAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" })}</time>
      </td>
      <td className="px-3 py-2">
        {event.actorKind === "cli" ? <span className="mr-1 rounded bg-zinc-200 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">cli</span> : null}
        {event.actorKind === "cli" ? (event.actorName ?? "") : describeAuditActor(event)}
      </td>
      <td className="px-3 py-2 font-mono text-xs">{event.action}</td>
      <td className="px-3 py-2">
        <span className="text-xs text-zinc-500">{event.targetType}</span> {event.targetLabel ?? event.targetId}
      </td>
      <td className="px-3 py-2">
        <Changes event={event} />
      </td>
    </tr>
  );
}

export function AuditLogView({ firstPage }: { firstPage: AuditPage }) {
  const [targetType, setTargetType] = useState<string | null>(null);
  const log = useAuditLog(targetType, targetType === null ? firstPage : undefined);
  const events = log.data?.pages.flatMap((page) => page.data) ?? [];
  const targetTypes = log.data?.pages[0]?.targetTypes ?? firstPage.targetTypes;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every admin action, from the console or the CLI, newest first: who, what, when and what changed. Secrets are masked."
      />
      <TargetTypeFilter value={targetType} targetTypes={targetTypes} onChange={setTargetType} />
      <DataTable caption="Audit events" columns={[{ label: "When" }, { label: "Who" }, { label: "Action" }, { label: "Target" }, { label: "Changes" }]}>
        {events.length === 0 ? (
          <tr>
            <td colSpan={5} className="px-3 py-6 text-center text-zinc-500">
              {log.isLoading ? "Loading…" : "No admin actions yet."}
            </td>
          </tr>
        ) : (
          events.map((event) => <AuditEventRow key={event.id} event={event} />)
        )}
      </DataTable>
      {log.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">
          {log.error.message}
        </p>
      ) : null}
      {log.hasNextPage ? (
        <div className="mt-4 flex justify-center">
          <Button variant="secondary" onClick={() => log.fetchNextPage()} disabled={log.isFetchingNextPage}>
            {log.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
    </>
  );
}
