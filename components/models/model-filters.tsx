"use client";
/**
 * The model browser's search box, filters and sort. Values come from the URL (parsed by
 * the browser); each change calls `setParam(name, value)`. Typed fields update the URL
 * 150 ms after the last keystroke. Without JavaScript the form still submits as a GET.
 */
import { Search, SlidersHorizontal } from "lucide-react";
import { useEffect, useId, useState, type InputHTMLAttributes, type ReactNode } from "react";
import { formatTokens } from "@/lib/public-pages/price-format";
import {
  CAPABILITY_FILTERS,
  CONTEXT_STEPS,
  MODEL_SORTS,
  type ModelBrowserFacets,
  type ModelBrowserQuery,
  type Option,
} from "@/lib/public-pages/model-browser-query";

type SetParam = (name: string, value: string) => void;

const controlClass =
  "rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm outline-none focus:border-teal-600 focus:ring-2 focus:ring-teal-600/20 dark:border-zinc-700 dark:bg-zinc-900";
const labelClass = "text-xs font-medium text-zinc-600 dark:text-zinc-400";
const TYPING_DELAY_MS = 150;

/**
 * A text field whose value lives in the URL: local while typing, written after a pause.
 * It follows the URL when something else changes it (a "Clear filters" link), not when
 * the URL merely catches up with what was typed.
 */
function UrlTextInput({
  name,
  value,
  setParam,
  ...input
}: { name: string; value: string; setParam: SetParam } & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "value" | "onChange">) {
  const [text, setText] = useState(value);
  const [committed, setCommitted] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (value !== committed) {
      setCommitted(value);
      setText(value);
    }
  }
  useEffect(() => {
    const next = text.trim();
    if (next === committed) return;
    const timer = setTimeout(() => {
      setCommitted(next);
      setParam(name, next);
    }, TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, committed, name, setParam]);
  return <input name={name} value={text} onChange={(event) => setText(event.target.value)} {...input} />;
}

function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={labelClass}>
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
  setParam,
}: {
  label: string;
  name: string;
  value: string;
  allLabel?: string;
  options: Option[];
  setParam: SetParam;
}) {
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} name={name} value={value} onChange={(event) => setParam(name, event.target.value)} className={`${controlClass} max-w-48`}>
          {allLabel !== undefined ? <option value="">{allLabel}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function contextOptions(current: number | null): Option[] {
  const steps: number[] = [...CONTEXT_STEPS];
  if (current && !steps.includes(current)) steps.push(current);
  return steps.sort((a, b) => a - b).map((tokens) => ({ value: String(tokens), label: `${formatTokens(tokens)} or more` }));
}

function SearchInput({ value, setParam }: { value: string; setParam: SetParam }) {
  return (
    <div className="relative flex-1">
      <Search aria-hidden className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-zinc-400" />
      <UrlTextInput
        name="q"
        type="search"
        value={value}
        setParam={setParam}
        aria-label="Search models"
        placeholder="Search by name, slug, alias or vendor"
        autoComplete="off"
        className={`${controlClass} w-full py-2 pl-8`}
      />
    </div>
  );
}

function FiltersToggle({ expanded, controls, activeFilters, onToggle }: { expanded: boolean; controls: string; activeFilters: number; onToggle: () => void }) {
  return (
    <button
      type="button"
      aria-expanded={expanded}
      aria-controls={controls}
      onClick={onToggle}
      className="inline-flex items-center gap-1.5 rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 sm:hidden dark:border-zinc-700 dark:hover:bg-zinc-800"
    >
      <SlidersHorizontal aria-hidden className="size-4" />
      Filters{activeFilters > 0 ? ` (${activeFilters})` : ""}
    </button>
  );
}

function PriceRangeFilter({ min, max, setParam }: { min: string; max: string; setParam: SetParam }) {
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className={`${labelClass} mb-1`}>Input price, $ per 1M tokens</legend>
      <div className="flex items-center gap-1.5">
        <UrlTextInput
          name="minPrice"
          value={min}
          setParam={setParam}
          type="number"
          min={0}
          step="any"
          inputMode="decimal"
          placeholder="Min"
          aria-label="Minimum input price"
          className={`${controlClass} w-20`}
        />
        <span aria-hidden className="text-zinc-400">
          –
        </span>
        <UrlTextInput
          name="maxPrice"
          value={max}
          setParam={setParam}
          type="number"
          min={0}
          step="any"
          inputMode="decimal"
          placeholder="Max"
          aria-label="Maximum input price"
          className={`${controlClass} w-20`}
        />
      </div>
    </fieldset>
  );
}

function CapabilityFilterGroup({ selected, setParam }: { selected: ModelBrowserQuery["capabilities"]; setParam: SetParam }) {
  const toggleCapability = (capability: string, on: boolean) => {
    const next = CAPABILITY_FILTERS.map((c) => c.value).filter((c) => (c === capability ? on : selected.includes(c)));
    setParam("capability", next.join(","));
  };
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className={`${labelClass} mb-1`}>Capabilities</legend>
      <div className="flex gap-1.5">
        {CAPABILITY_FILTERS.map((capability) => (
          <label
            key={capability.value}
            className="flex cursor-pointer items-center gap-1.5 rounded-md border border-zinc-300 px-2.5 py-1.5 text-sm has-[:checked]:border-teal-600 has-[:checked]:bg-teal-50 has-[:checked]:text-teal-800 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-teal-600/20 dark:border-zinc-700 dark:has-[:checked]:bg-teal-950 dark:has-[:checked]:text-teal-200"
          >
            <input
              type="checkbox"
              name="capability"
              value={capability.value}
              checked={selected.includes(capability.value)}
              onChange={(event) => toggleCapability(capability.value, event.target.checked)}
              className="accent-teal-700"
            />
            {capability.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function ModelFilters({
  query,
  rawQ,
  rawMinPrice,
  rawMaxPrice,
  facets,
  setParam,
}: {
  query: ModelBrowserQuery;
  rawQ: string;
  rawMinPrice: string;
  rawMaxPrice: string;
  facets: ModelBrowserFacets;
  setParam: SetParam;
}) {
  const [showFilters, setShowFilters] = useState(false);
  const filtersId = useId();
  const activeFilters =
    [query.vendor, query.provider, query.modality, query.minContext, query.minPrice ?? query.maxPrice].filter((v) => v !== null).length +
    query.capabilities.length;
  return (
    <form
      role="search"
      aria-label="Model filters"
      action="/models"
      method="get"
      onSubmit={(event) => event.preventDefault()}
      className="mb-6 flex flex-col gap-4"
    >
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <SearchInput value={rawQ} setParam={setParam} />
        <div className="flex items-end justify-between gap-3">
          <FilterSelect label="Sort by" name="sort" value={query.sort} options={[...MODEL_SORTS]} setParam={setParam} />
          <FiltersToggle expanded={showFilters} controls={filtersId} activeFilters={activeFilters} onToggle={() => setShowFilters(!showFilters)} />
        </div>
      </div>
      {/* On phones the filters fold away behind the button above; from sm up they always show. */}
      <div id={filtersId} className={`${showFilters ? "flex" : "hidden"} flex-wrap items-end gap-3 sm:flex`}>
        <FilterSelect label="Vendor" name="vendor" value={query.vendor ?? ""} allLabel="All vendors" options={facets.vendors} setParam={setParam} />
        <FilterSelect label="Provider" name="provider" value={query.provider ?? ""} allLabel="All providers" options={facets.providers} setParam={setParam} />
        <FilterSelect
          label="Input modality"
          name="modality"
          value={query.modality ?? ""}
          allLabel="Any input"
          options={facets.modalities}
          setParam={setParam}
        />
        <FilterSelect
          label="Context length"
          name="minContext"
          value={query.minContext ? String(query.minContext) : ""}
          allLabel="Any length"
          options={contextOptions(query.minContext)}
          setParam={setParam}
        />
        <PriceRangeFilter min={rawMinPrice} max={rawMaxPrice} setParam={setParam} />
        <CapabilityFilterGroup selected={query.capabilities} setParam={setParam} />
        <noscript>
          <button type="submit" className="rounded-md bg-teal-700 px-3 py-1.5 text-sm font-medium text-white">
            Apply
          </button>
        </noscript>
      </div>
    </form>
  );
}
