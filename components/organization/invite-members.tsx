"use client";
/** An admin invites people by email with a role, sees each invitation's link to send, and cancels pending ones. */
import { useState, type FormEvent } from "react";
import { fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { DataTable } from "@/components/ui/data-table";
import { FormAlert } from "@/components/ui/form-alert";
import { useCancelInvitation, useInvite, type PendingInvitation, type SentInvitation } from "./use-organization";

const formatDate = (iso: string) => iso.slice(0, 16).replace("T", " ") + " UTC";

function SentLinks({ sent, alreadyMembers }: { sent: SentInvitation[]; alreadyMembers: string[] }) {
  return (
    <div role="status" className="mt-3 rounded-md border border-teal-200 bg-teal-50 p-3 text-sm dark:border-teal-900 dark:bg-teal-950">
      <p className="font-medium">Send each person their link (it works once, for 7 days, signed in with that email):</p>
      <ul className="mt-2 flex flex-col gap-2">
        {sent.map((invitation) => (
          <li key={invitation.id} className="flex flex-wrap items-center gap-2">
            <span>{invitation.email}</span>
            <code className="break-all rounded bg-white px-1.5 py-0.5 text-xs dark:bg-zinc-900" aria-label={`Invitation link for ${invitation.email}`}>
              {invitation.link}
            </code>
            <CopyButton text={invitation.link} label={`Copy the invitation link for ${invitation.email}`} compact />
          </li>
        ))}
      </ul>
      {alreadyMembers.length > 0 ? <p className="mt-2 text-zinc-600 dark:text-zinc-400">Already members, skipped: {alreadyMembers.join(", ")}</p> : null}
    </div>
  );
}

function PendingInvitations({ invitations }: { invitations: PendingInvitation[] }) {
  const cancel = useCancelInvitation();
  if (invitations.length === 0) return null;
  return (
    <div className="mt-4">
      <DataTable caption="Pending invitations" columns={[{ label: "Email" }, { label: "Role" }, { label: "Expires" }, { label: "Actions", hidden: true }]}>
        {invitations.map((invitation) => (
          <tr key={invitation.id}>
            <td className="px-3 py-2 break-all">{invitation.email}</td>
            <td className="px-3 py-2">{invitation.role}</td>
            <td className="whitespace-nowrap px-3 py-2">{formatDate(invitation.expiresAt)}</td>
            <td className="px-3 py-2 text-right">
              <Button
                variant="ghost"
                aria-label={`Cancel the invitation of ${invitation.email}`}
                disabled={cancel.isPending}
                onClick={() => cancel.mutate(invitation.id)}
              >
                Cancel
              </Button>
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

export function InviteMembers({ invitations }: { invitations: PendingInvitation[] }) {
  const invite = useInvite();
  const [result, setResult] = useState<{ data: SentInvitation[]; alreadyMembers: string[] } | null>(null);
  const fields = fieldErrorsOf(invite.error);
  const emailError = Object.entries(fields).find(([field]) => field.startsWith("emails"))?.[1];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setResult(null);
    const sent = await invite.mutateAsync({ emails: String(data.get("emails") ?? ""), role: String(data.get("role") ?? "member") }).catch(() => null);
    if (!sent) return;
    setResult(sent);
    form.reset();
  }

  return (
    <>
      <form onSubmit={submit} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <label className="flex flex-1 flex-col gap-1 text-sm font-medium">
          Emails to invite
          <textarea
            name="emails"
            rows={2}
            aria-invalid={emailError ? true : undefined}
            placeholder="one@example.com, two@example.com"
            className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm font-normal dark:border-zinc-700 dark:bg-zinc-900"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Role
          <select
            name="role"
            defaultValue="member"
            className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <Button type="submit" disabled={invite.isPending}>
          Invite
        </Button>
      </form>
      {invite.error ? <FormAlert>{emailError ?? fields.role ?? invite.error.message}</FormAlert> : null}
      {result ? <SentLinks sent={result.data} alreadyMembers={result.alreadyMembers} /> : null}
      <PendingInvitations invitations={invitations} />
    </>
  );
}
