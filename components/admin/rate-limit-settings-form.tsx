"use client";
/** Admin: the default limit of every account and the model-family limits. */
import { useState, type FormEvent } from "react";
import { fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import type { RateLimitSettings } from "@/lib/gateway/rate-limit/rate-limit-rules";
import { useSaveRateLimitSettings, type RateLimitSettingsForm } from "./use-rate-limits";

type FamilyRow = { id: number; name: string; patterns: string; rpm: string; tpm: string };

const text = (value: number | null) => (value === null ? "" : String(value));
let nextRowId = 0;
const toRow = (family: RateLimitSettings["families"][number]): FamilyRow => ({
  id: nextRowId++,
  name: family.name,
  patterns: family.patterns.join(", "),
  rpm: text(family.rpm),
  tpm: text(family.tpm),
});

export function RateLimitSettingsForm({ initial }: { initial: RateLimitSettings }) {
  const [rows, setRows] = useState<FamilyRow[]>(() => initial.families.map(toRow));
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const save = useSaveRateLimitSettings();
  const fields = fieldErrorsOf(save.error);
  const formError = save.error && Object.keys(fields).length === 0 ? save.error.message : undefined;

  const update = (id: number, change: Partial<FamilyRow>) => setRows((current) => current.map((row) => (row.id === id ? { ...row, ...change } : row)));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSavedAt(null);
    const form = new FormData(event.currentTarget);
    const settings: RateLimitSettingsForm = {
      account: { rpm: String(form.get("accountRpm") ?? ""), tpm: String(form.get("accountTpm") ?? "") },
      families: rows.map((row) => ({
        name: row.name,
        patterns: row.patterns
          .split(",")
          .map((p) => p.trim())
          .filter(Boolean),
        rpm: row.rpm,
        tpm: row.tpm,
      })),
    };
    save.mutate(settings, { onSuccess: () => setSavedAt(Date.now()) });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-6" noValidate aria-label="Rate-limit defaults">
      <AccountLimitFields account={initial.account} fields={fields} />
      <fieldset className="flex min-w-0 flex-col gap-3">
        <legend className="mb-2 font-medium">Model families</legend>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A model belongs to the first family with a pattern matching its slug (<code>*</code> matches anything, e.g. <code>anthropic/claude-*</code>). Each
          account has its own budget per family.
        </p>
        {rows.map((row, index) => (
          <FamilyFields
            key={row.id}
            row={row}
            index={index}
            fields={fields}
            onChange={(change) => update(row.id, change)}
            onRemove={() => setRows((current) => current.filter((r) => r.id !== row.id))}
          />
        ))}
        <div>
          <Button variant="secondary" onClick={() => setRows((current) => [...current, { id: nextRowId++, name: "", patterns: "", rpm: "", tpm: "" }])}>
            Add family
          </Button>
        </div>
      </fieldset>
      <FormAlert>{formError}</FormAlert>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={save.isPending}>
          Save limits
        </Button>
        {savedAt ? (
          <span role="status" className="text-sm text-teal-700 dark:text-teal-400">
            Saved. Every instance applies it within a second.
          </span>
        ) : null}
      </div>
    </form>
  );
}

function AccountLimitFields({ account, fields }: { account: RateLimitSettings["account"]; fields: Record<string, string> }) {
  return (
    <fieldset className="flex min-w-0 flex-col gap-3">
      <legend className="mb-2 font-medium">Every account</legend>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The default budget of each account, across all its keys. An override below replaces it for one account. Empty means no limit.
      </p>
      <div className="grid max-w-xl grid-cols-2 gap-3">
        <FormField label="Requests per minute" name="accountRpm" inputMode="numeric" defaultValue={text(account.rpm)} error={fields["account.rpm"]} />
        <FormField label="Tokens per minute" name="accountTpm" inputMode="numeric" defaultValue={text(account.tpm)} error={fields["account.tpm"]} />
      </div>
    </fieldset>
  );
}

function FamilyFields({
  row,
  index,
  fields,
  onChange,
  onRemove,
}: {
  row: FamilyRow;
  index: number;
  fields: Record<string, string>;
  onChange: (change: Partial<FamilyRow>) => void;
  onRemove: () => void;
}) {
  return (
    <div
      role="group"
      aria-label={`Family ${index + 1}`}
      className="grid grid-cols-1 items-start gap-3 rounded-md border border-zinc-200 p-3 lg:grid-cols-[1fr_2fr_1fr_1fr_auto] dark:border-zinc-800"
    >
      <FormField
        label="Family name"
        name={`family-${row.id}-name`}
        value={row.name}
        onChange={(e) => onChange({ name: e.target.value })}
        error={fields[`families.${index}.name`]}
      />
      <FormField
        label="Model patterns"
        name={`family-${row.id}-patterns`}
        hint="Comma-separated"
        value={row.patterns}
        onChange={(e) => onChange({ patterns: e.target.value })}
        error={fields[`families.${index}.patterns`] ?? fields[`families.${index}.patterns.0`]}
      />
      <FormField
        label="Requests/min"
        name={`family-${row.id}-rpm`}
        inputMode="numeric"
        value={row.rpm}
        onChange={(e) => onChange({ rpm: e.target.value })}
        error={fields[`families.${index}.rpm`]}
      />
      <FormField
        label="Tokens/min"
        name={`family-${row.id}-tpm`}
        inputMode="numeric"
        value={row.tpm}
        onChange={(e) => onChange({ tpm: e.target.value })}
        error={fields[`families.${index}.tpm`]}
      />
      <Button variant="ghost" className="sm:mt-6" onClick={onRemove}>
        Remove
      </Button>
    </div>
  );
}
