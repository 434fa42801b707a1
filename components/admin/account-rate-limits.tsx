"use client";
/** Admin: per-account overrides of the default account limit. */
import { useState, type FormEvent } from "react";
import { fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { useRateLimits, useSetAccountRateLimit, type RateLimitsView } from "./use-rate-limits";

const show = (value: number | null) => (value === null ? "default" : value.toLocaleString("en-US"));

export function AccountRateLimits({ initial }: { initial: RateLimitsView }) {
  const { data } = useRateLimits(initial);
  const set = useSetAccountRateLimit();
  const [saved, setSaved] = useState<string | null>(null);
  const fields = fieldErrorsOf(set.error);
  const formError = set.error && Object.keys(fields).length === 0 ? set.error.message : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const form = new FormData(event.currentTarget);
    const input = { email: String(form.get("email") ?? ""), rpm: String(form.get("rpm") ?? ""), tpm: String(form.get("tpm") ?? "") };
    set.mutate(input, { onSuccess: (result) => setSaved(result.data.email) });
  }

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={submit} className="grid max-w-3xl grid-cols-1 items-start gap-3 lg:grid-cols-[2fr_1fr_1fr_auto]" noValidate aria-label="Account override">
        <FormField label="Account email" name="email" type="email" autoComplete="off" error={fields.email} />
        <FormField label="Requests per minute" name="rpm" inputMode="numeric" hint="Empty: the default" error={fields.rpm} />
        <FormField label="Tokens per minute" name="tpm" inputMode="numeric" hint="Empty: the default" error={fields.tpm} />
        <Button type="submit" className="sm:mt-6" disabled={set.isPending}>
          Set override
        </Button>
      </form>
      <FormAlert>{formError}</FormAlert>
      {saved ? (
        <p role="status" className="text-sm text-teal-700 dark:text-teal-400">
          Saved for {saved}.
        </p>
      ) : null}
      {data.accounts.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No account has an override.</p>
      ) : (
        <DataTable
          caption="Account overrides"
          columns={[{ label: "Account" }, { label: "Requests/min", align: "right" }, { label: "Tokens/min", align: "right" }, { label: "" }]}
        >
          {data.accounts.map((account) => (
            <tr key={account.userId}>
              <td className="px-3 py-2">{account.email}</td>
              <td className="px-3 py-2 text-right tabular-nums">{show(account.rpm)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{show(account.tpm)}</td>
              <td className="px-3 py-2 text-right">
                <Button variant="ghost" disabled={set.isPending} onClick={() => set.mutate({ email: account.email, rpm: null, tpm: null })}>
                  Clear
                </Button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
