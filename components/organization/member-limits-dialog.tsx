"use client";
/** An admin sets a member's credit limits: total, day, week, month in USD; empty means no limit. */
import type { FormEvent } from "react";
import { fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { Modal } from "@/components/ui/modal";
import type { MemberDto } from "@/lib/organizations/member-dto";
import { useUpdateMember } from "./use-organization";

const PERIODS = [
  ["total", "Total (USD)", "Never resets; raise it to let them spend more."],
  ["day", "Per day (USD)", "Resets at 00:00 UTC."],
  ["week", "Per week (USD)", "Resets on Monday, 00:00 UTC."],
  ["month", "Per month (USD)", "Resets on the 1st, 00:00 UTC."],
] as const;

export function MemberLimitsDialog({ member, onClose }: { member: MemberDto | null; onClose: () => void }) {
  const update = useUpdateMember();
  const fields = fieldErrorsOf(update.error);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!member) return;
    const data = new FormData(event.currentTarget);
    const limits = Object.fromEntries(PERIODS.map(([period]) => [period, String(data.get(period) ?? "").trim()]));
    if (await update.mutateAsync({ id: member.id, limits }).catch(() => null)) onClose();
  }

  return (
    <Modal open={member !== null} title={member ? `Credit limits of ${member.email}` : "Credit limits"} onRequestClose={onClose}>
      {member ? (
        <form onSubmit={submit} noValidate className="flex flex-col gap-3">
          {PERIODS.map(([period, label, hint]) => (
            <FormField
              key={period}
              label={label}
              name={period}
              inputMode="decimal"
              defaultValue={member.credit[period].limitUsd ?? ""}
              placeholder="No limit"
              hint={`${hint} Spent: $${member.credit[period].spentUsd}.`}
              error={fields[period]}
            />
          ))}
          {update.error && Object.keys(fields).length === 0 ? <FormAlert>{update.error.message}</FormAlert> : null}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="ghost" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={update.isPending}>
              Save limits
            </Button>
          </div>
        </form>
      ) : null}
    </Modal>
  );
}
