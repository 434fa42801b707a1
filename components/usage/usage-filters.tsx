"use client";
/** The Usage page's filters. Values live in the page URL; each change calls `onChange(name, value)`. */
import { useId, type ReactNode } from "react";
import type { Option, UsageFilterOptions } from "@/lib/activity/usage-query";
import { DEFAULT_USAGE_RANGE, isGranularityAllowed, rangeSpanMs, USAGE_RANGES } from "@/lib/activity/usage-search-params";
import { Button } from "@/components/ui/button";

const controlClass =
  "rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm outline-none focus:border-teal-600 focus:ring-2 focus:ring-teal-600/20 dark:border-zinc-700 dark:bg-zinc-900";
const FILTER_NAMES = ["range", "from", "to", "granularity", "key", "model", "provider", "account", "member"];

/** A label above its control, tied by id (so the control's accessible name is exactly the label). */
function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        {label}
      </label>
      {children(id)}
    </div>
  );
}

function FilterSelect({
  label,
  name,
  value,
  allLabel,
  options,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  allLabel?: string;
  options: (Option & { disabled?: boolean })[];
  onChange: (name: string, value: string) => void;
}) {
  // A value from the URL that the list does not know (yet) still shows as selected.
  const all = value && !options.some((o) => o.value === value) ? [...options, { value, label: value }] : options;
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} name={name} value={value} onChange={(event) => onChange(name, event.target.value)} className={`${controlClass} max-w-56`}>
          {allLabel !== undefined ? <option value="">{allLabel}</option> : null}
          {all.map((option) => (
            <option key={option.value} value={option.value} disabled={"disabled" in option ? option.disabled : false}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function CustomDateRange({ from, to, onChange }: { from: string | null; to: string | null; onChange: (name: string, value: string) => void }) {
  return (
    <>
      <Field label="From">
        {(id) => (
          <input
            id={id}
            type="date"
            name="from"
            value={from ?? ""}
            max={to ?? undefined}
            onChange={(event) => onChange("from", event.target.value)}
            className={controlClass}
          />
        )}
      </Field>
      <Field label="To">
        {(id) => (
          <input
            id={id}
            type="date"
            name="to"
            value={to ?? ""}
            min={from ?? undefined}
            onChange={(event) => onChange("to", event.target.value)}
            className={controlClass}
          />
        )}
      </Field>
    </>
  );
}

export function UsageFilters({
  params,
  options,
  showAccounts,
  showMembers = false,
  onChange,
  onReset,
}: {
  params: URLSearchParams;
  options: UsageFilterOptions | undefined;
  showAccounts: boolean;
  showMembers?: boolean;
  onChange: (name: string, value: string) => void;
  onReset: () => void;
}) {
  const range = params.get("range") || DEFAULT_USAGE_RANGE;
  const span = rangeSpanMs(params);
  const filtered = FILTER_NAMES.some((name) => params.has(name));
  return (
    <form role="search" aria-label="Usage filters" onSubmit={(event) => event.preventDefault()} className="mb-6 flex flex-wrap items-end gap-3">
      <FilterSelect label="Time range" name="range" value={range} options={USAGE_RANGES.map((r) => ({ value: r.value, label: r.label }))} onChange={onChange} />
      {range === "custom" ? <CustomDateRange from={params.get("from")} to={params.get("to")} onChange={onChange} /> : null}
      <FilterSelect
        label="Granularity"
        name="granularity"
        value={params.get("granularity") ?? ""}
        allLabel="Automatic"
        options={[
          { value: "hour", label: "Hourly", disabled: !isGranularityAllowed("hour", span) },
          { value: "day", label: "Daily", disabled: !isGranularityAllowed("day", span) },
          { value: "month", label: "Monthly" },
        ]}
        onChange={onChange}
      />
      {showAccounts ? (
        <FilterSelect
          label="Account"
          name="account"
          value={params.get("account") ?? ""}
          allLabel="All accounts"
          options={options?.accounts ?? []}
          onChange={onChange}
        />
      ) : null}
      {showMembers ? (
        <FilterSelect
          label="Member"
          name="member"
          value={params.get("member") ?? ""}
          allLabel="All members"
          options={(options?.members ?? []).map((m) => ({ value: m.id, label: m.email }))}
          onChange={onChange}
        />
      ) : null}
      <FilterSelect label="API key" name="key" value={params.get("key") ?? ""} allLabel="All keys" options={options?.keys ?? []} onChange={onChange} />
      <FilterSelect label="Model" name="model" value={params.get("model") ?? ""} allLabel="All models" options={options?.models ?? []} onChange={onChange} />
      <FilterSelect
        label="Provider"
        name="provider"
        value={params.get("provider") ?? ""}
        allLabel="All providers"
        options={options?.providers ?? []}
        onChange={onChange}
      />
      {filtered ? (
        <Button variant="ghost" onClick={onReset}>
          Reset filters
        </Button>
      ) : null}
    </form>
  );
}
