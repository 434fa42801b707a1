"use client";
/** An organization admin's view of its members: roles, credit limits with what is left, removal, and invitations. */
import { useState } from "react";
import { fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { FormAlert } from "@/components/ui/form-alert";
import type { CreditLimitDto, MemberDto } from "@/lib/organizations/member-dto";
import { InviteMembers } from "./invite-members";
import { MemberLimitsDialog } from "./member-limits-dialog";
import { useMembers, useRemoveMember, useUpdateMember, type PendingInvitation } from "./use-organization";

/** "$2.50 left of $5.00 a day", one line per limit set; "No limits" when none is. */
export function describeCredit(credit: MemberDto["credit"]): string {
  const parts = (
    [
      ["total", "in total"],
      ["day", "a day"],
      ["week", "a week"],
      ["month", "a month"],
    ] as const
  )
    .filter(([period]) => credit[period].limitUsd !== null)
    .map(([period, per]) => {
      const view: CreditLimitDto = credit[period];
      return `$${view.leftUsd} left of $${view.limitUsd} ${per}`;
    });
  return parts.length > 0 ? parts.join("; ") : "No limits";
}

type RowActions = { onRole: (member: MemberDto, role: string) => void; onLimits: (member: MemberDto) => void; onRemove: (member: MemberDto) => void };

function MemberRow({ member, onRole, onLimits, onRemove }: { member: MemberDto } & RowActions) {
  return (
    <tr>
      <td className="px-3 py-2 break-all">{member.email}</td>
      <td className="px-3 py-2">
        <select
          aria-label={`Role of ${member.email}`}
          value={member.role}
          onChange={(event) => onRole(member, event.target.value)}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          <option value="member">Member</option>
          <option value="admin">Admin</option>
        </select>
      </td>
      <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{describeCredit(member.credit)}</td>
      <td className="whitespace-nowrap px-3 py-2 text-right">
        <Button variant="ghost" aria-label={`Limits of ${member.email}`} onClick={() => onLimits(member)}>
          Limits
        </Button>
        <Button variant="ghost" aria-label={`Remove ${member.email}`} onClick={() => onRemove(member)}>
          Remove
        </Button>
      </td>
    </tr>
  );
}

export function MembersManager({ initial }: { initial: { data: MemberDto[]; invitations: PendingInvitation[] } }) {
  const members = useMembers(initial);
  const update = useUpdateMember();
  const remove = useRemoveMember();
  const [limitsOf, setLimitsOf] = useState<MemberDto | null>(null);
  const [removing, setRemoving] = useState<MemberDto | null>(null);
  const active = (members.data?.data ?? []).filter((m) => m.status === "active");
  const error = update.error ?? remove.error;

  return (
    <>
      {error ? <FormAlert>{fieldErrorsOf(error).role ?? error.message}</FormAlert> : null}
      <DataTable caption="Members" columns={[{ label: "Email" }, { label: "Role" }, { label: "Credit limits" }, { label: "Actions", hidden: true }]}>
        {active.map((member) => (
          <MemberRow key={member.id} member={member} onRole={(m, role) => update.mutate({ id: m.id, role })} onLimits={setLimitsOf} onRemove={setRemoving} />
        ))}
      </DataTable>
      <section aria-labelledby="invite" className="mt-8">
        <h2 id="invite" className="mb-3 text-lg font-semibold">
          Invite people
        </h2>
        <InviteMembers invitations={members.data?.invitations ?? []} />
      </section>
      <MemberLimitsDialog member={limitsOf} onClose={() => setLimitsOf(null)} />
      <ConfirmDialog
        open={removing !== null}
        danger
        title={`Remove ${removing?.email ?? ""}?`}
        body="They lose access to the organization at once, and every API key they created in it stops working."
        confirmLabel="Remove member"
        pending={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={async () => {
          if (removing) await remove.mutateAsync(removing.id).catch(() => null);
          setRemoving(null);
        }}
      />
    </>
  );
}
