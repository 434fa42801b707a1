"use client";
/** Admins: grant credits (or adjust) with a reason, and issue redemption codes. */
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { useCreateCodes, useGrantCredits, useRecentCodes } from "./use-billing";
import { DataTable } from "@/components/ui/data-table";

function GrantForm() {
  const router = useRouter();
  const grant = useGrantCredits();
  const [done, setDone] = useState<string | null>(null);
  const fields = fieldErrorsOf(grant.error);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setDone(null);
    const input = { email: String(data.get("email") ?? ""), usd: String(data.get("usd") ?? ""), reason: String(data.get("reason") ?? "") };
    if (await grant.mutateAsync(input).catch(() => null)) {
      setDone(`Granted $${input.usd} to ${input.email}.`);
      form.reset();
      router.refresh();
    }
  }
  return (
    <form onSubmit={submit} noValidate className="grid gap-3 sm:grid-cols-3">
      <FormField label="Account email" name="email" type="email" error={fields.email} />
      <FormField label="Amount (USD)" name="usd" inputMode="decimal" hint="Negative for an adjustment" error={fields.usd} />
      <FormField label="Reason" name="reason" error={fields.reason} />
      <div className="sm:col-span-3 flex items-center gap-3">
        <Button type="submit" disabled={grant.isPending}>
          Grant credits
        </Button>
        {done ? (
          <span role="status" className="text-sm text-teal-700 dark:text-teal-400">
            {done}
          </span>
        ) : null}
      </div>
      {grant.error && !Object.keys(fields).length ? <FormAlert>{grant.error.message}</FormAlert> : null}
    </form>
  );
}

function CodesForm() {
  const create = useCreateCodes();
  const codes = useRecentCodes();
  const fields = fieldErrorsOf(create.error);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const expires = String(data.get("expiresAt") ?? "");
    await create
      .mutateAsync({
        valueUsd: String(data.get("valueUsd") ?? ""),
        count: String(data.get("count") ?? ""),
        expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
      })
      .catch(() => null);
  }
  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={submit} noValidate className="grid gap-3 sm:grid-cols-3">
        <FormField label="Value per code (USD)" name="valueUsd" inputMode="decimal" error={fields.valueUsd} />
        <FormField label="Number of codes" name="count" inputMode="numeric" defaultValue="1" error={fields.count} />
        <FormField label="Codes expire on" name="expiresAt" type="date" hint="Optional" error={fields.expiresAt} />
        <div className="sm:col-span-3">
          <Button type="submit" disabled={create.isPending}>
            Create codes
          </Button>
        </div>
      </form>
      {codes.data && codes.data.length > 0 ? (
        <DataTable
          caption="Recent redemption codes"
          columns={[{ label: "Code" }, { label: "Value", align: "right" }, { label: "Expires" }, { label: "Status" }]}
        >
          {codes.data.map((c) => (
            <tr key={c.code}>
              <td className="px-3 py-2 font-mono text-xs">{c.code}</td>
              <td className="px-3 py-2 text-right tabular-nums">${c.valueUsd}</td>
              <td className="px-3 py-2">{c.expiresAt ? new Date(c.expiresAt).toLocaleDateString() : "Never"}</td>
              <td className="px-3 py-2">{c.redeemedAt ? "redeemed" : "unused"}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}

export function AdminBilling() {
  return (
    <section aria-labelledby="admin-billing" className="mt-10 flex flex-col gap-6 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
      <h2 id="admin-billing" className="text-lg font-semibold">
        Admin
      </h2>
      <div>
        <h3 className="mb-3 font-medium">Grant credits</h3>
        <GrantForm />
      </div>
      <div>
        <h3 className="mb-3 font-medium">Redemption codes</h3>
        <CodesForm />
      </div>
    </section>
  );
}
