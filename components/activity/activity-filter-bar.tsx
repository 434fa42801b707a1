"use client";
/** The activity filters; every value lives in the page's URL (the explorer owns it). */
import { useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { protocolLabel } from "@/lib/activity/protocol-names";
import type { ActivityOptions } from "./use-activity";

const RANGES = [
  ["all", "All time"],
  ["1h", "Last hour"],
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
  ["90d", "Last 90 days"],
  ["custom", "Custom range"],
] as const;

// A select is as wide as its longest option (an account's email, a key named
// "Playground (expires 14:05 UTC)"): cap it so the bar wraps instead of widening the page.
const selectClass = "max-w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

function Select({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  return (
    <label className="flex min-w-0 max-w-full flex-col gap-1 text-xs text-zinc-500 sm:max-w-60">
      {label}
      <select className={selectClass} value={value} onChange={(event) => onChange(event.target.value)}>
        {children}
      </select>
    </label>
  );
}

/** datetime-local speaks the browser's local time; the URL keeps ISO instants. */
const toLocalInput = (iso: string) => {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : "");

type SetFilters = (changes: Record<string, string>) => void;
type FilterGroupProps = { value: (name: string) => string; set: SetFilters; options: ActivityOptions | undefined };

function GenerationSearch({ query, onSearch }: { query: string; onSearch: (query: string) => void }) {
  const [search, setSearch] = useState(query);

  function submitSearch(event: FormEvent) {
    event.preventDefault();
    onSearch(search.trim());
  }

  return (
    <form role="search" onSubmit={submitSearch} className="flex max-w-xl gap-2">
      <input
        type="search"
        aria-label="Generation ID"
        placeholder="Find a call by generation ID (gen_…)"
        className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-3 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      <Button type="submit" variant="secondary">
        Find
      </Button>
      {query ? (
        <Button
          variant="ghost"
          onClick={() => {
            setSearch("");
            onSearch("");
          }}
        >
          Clear
        </Button>
      ) : null}
    </form>
  );
}

function TimeRangeFilter({ range, from, to, set }: { range: string; from: string; to: string; set: SetFilters }) {
  return (
    <>
      <Select label="Time" value={range} onChange={(next) => set({ range: next === "all" ? "" : next, ...(next === "custom" ? {} : { from: "", to: "" }) })}>
        {RANGES.map(([id, label]) => (
          <option key={id} value={id}>
            {label}
          </option>
        ))}
      </Select>
      {range === "custom" ? (
        <>
          <label className="flex flex-col gap-1 text-xs text-zinc-500">
            From
            <input
              type="datetime-local"
              className={selectClass}
              value={toLocalInput(from)}
              onChange={(event) => set({ range: "custom", from: fromLocalInput(event.target.value) })}
            />
          </label>
          <label className="flex flex-col gap-1 text-xs text-zinc-500">
            To
            <input
              type="datetime-local"
              className={selectClass}
              value={toLocalInput(to)}
              onChange={(event) => set({ range: "custom", to: fromLocalInput(event.target.value) })}
            />
          </label>
        </>
      ) : null}
    </>
  );
}

function CallerFilters({ value, set, options, isAdmin, isOrganizationAdmin }: FilterGroupProps & { isAdmin: boolean; isOrganizationAdmin: boolean }) {
  return (
    <>
      {isOrganizationAdmin ? (
        <Select label="Member" value={value("member")} onChange={(next) => set({ member: next, key: "" })}>
          <option value="">All members</option>
          {options?.members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.email}
            </option>
          ))}
        </Select>
      ) : null}
      {isAdmin ? (
        <Select label="Account" value={value("account")} onChange={(next) => set({ account: next, key: "" })}>
          <option value="">All accounts</option>
          {options?.accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.email}
            </option>
          ))}
        </Select>
      ) : null}
      <Select label="API key" value={value("key")} onChange={(next) => set({ key: next })}>
        <option value="">All keys</option>
        {options?.keys.map((k) => (
          <option key={k.id} value={k.id}>
            {k.name} ({k.start}…)
          </option>
        ))}
      </Select>
    </>
  );
}

function RoutingFilters({ value, set, options }: FilterGroupProps) {
  return (
    <>
      <Select label="Model" value={value("model")} onChange={(next) => set({ model: next })}>
        <option value="">All models</option>
        {options?.models.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </Select>
      <Select label="Provider" value={value("provider")} onChange={(next) => set({ provider: next })}>
        <option value="">All providers</option>
        {options?.providers.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </Select>
      <Select label="Client protocol" value={value("api")} onChange={(next) => set({ api: next })}>
        <option value="">Any protocol</option>
        {options?.apis.map((api) => (
          <option key={api} value={api}>
            {protocolLabel(api, "full")}
          </option>
        ))}
      </Select>
    </>
  );
}

function OutcomeFilters({ value, set, options }: FilterGroupProps) {
  return (
    <>
      <Select label="Status" value={value("status")} onChange={(next) => set({ status: next })}>
        <option value="">Any status</option>
        <option value="success">Success</option>
        <option value="error">Error</option>
        <option value="aborted">Aborted by client</option>
      </Select>
      <Select label="Finish reason" value={value("finish")} onChange={(next) => set({ finish: next })}>
        <option value="">Any finish</option>
        {options?.finishReasons.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </Select>
    </>
  );
}

export function ActivityFilterBar({
  params,
  set,
  options,
  isAdmin,
  isOrganizationAdmin = false,
}: {
  params: URLSearchParams;
  set: SetFilters;
  options: ActivityOptions | undefined;
  isAdmin: boolean;
  isOrganizationAdmin?: boolean;
}) {
  const range = params.get("range") ?? (params.get("from") || params.get("to") ? "custom" : "all");
  const value = (name: string) => params.get(name) ?? "";

  return (
    <div className="mb-4 flex flex-col gap-3">
      <GenerationSearch query={value("q")} onSearch={(q) => set({ q })} />
      <div className="flex flex-wrap items-end gap-3">
        <TimeRangeFilter range={range} from={value("from")} to={value("to")} set={set} />
        <CallerFilters value={value} set={set} options={options} isAdmin={isAdmin} isOrganizationAdmin={isOrganizationAdmin} />
        <RoutingFilters value={value} set={set} options={options} />
        <OutcomeFilters value={value} set={set} options={options} />
      </div>
    </div>
  );
}
