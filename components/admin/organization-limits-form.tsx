"use client";
/** Instance admin: how many organizations a person may create and belong to, and how many people one may hold. */
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { consoleFetch, fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import type { OrganizationLimitSettings } from "@/lib/settings/organization-limit-settings";

const FIELDS = [
  ["createPerUser", "Organizations a person may create"],
  ["joinPerUser", "Organizations a person may belong to"],
  ["seatsPerOrganization", "Members and pending invitations per organization"],
] as const;

export function OrganizationLimitsForm({ initial }: { initial: OrganizationLimitSettings }) {
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (settings: Record<string, number>) =>
      consoleFetch<{ data: OrganizationLimitSettings }>("/api/console/admin/organization-limits", { method: "PUT", body: settings }),
    onSuccess: () => setSaved(true),
  });
  const fields = fieldErrorsOf(save.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const data = new FormData(event.currentTarget);
    save.mutate(Object.fromEntries(FIELDS.map(([name]) => [name, Number(data.get(name))])));
  }

  return (
    <form onSubmit={submit} noValidate className="flex max-w-xl flex-col gap-3">
      {FIELDS.map(([name, label]) => (
        <FormField key={name} label={label} name={name} type="number" min={0} defaultValue={String(initial[name])} error={fields[name]} />
      ))}
      {save.error && Object.keys(fields).length === 0 ? <FormAlert>{save.error.message}</FormAlert> : null}
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={save.isPending}>
          Save
        </Button>
        {saved ? (
          <span role="status" className="text-sm text-teal-700 dark:text-teal-400">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
