"use client";
/** One endpoint in the model editor: provider, upstream model id, limits, and its prices with tiers. */
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { emptyPriceRow, type EndpointErrors, type EndpointForm, type PriceRowForm } from "@/lib/catalog/admin/model-form";
import { PriceTable, selectClass } from "./price-table";

type SetEndpoint = (patch: Partial<EndpointForm>) => void;

export function EndpointEditor({
  index,
  endpoint,
  providers,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  endpoint: EndpointForm;
  providers: string[];
  errors: EndpointErrors;
  onChange: (endpoint: EndpointForm) => void;
  onRemove?: () => void;
}) {
  const label = `Endpoint ${index + 1}`;
  const set = (patch: Partial<EndpointForm>) => onChange({ ...endpoint, ...patch });
  const setRow = (row: number, patch: Partial<PriceRowForm>) => set({ prices: endpoint.prices.map((p, i) => (i === row ? { ...p, ...patch } : p)) });

  return (
    <fieldset className="min-w-0 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <legend className="px-1 text-sm font-semibold">{label}</legend>
      <EndpointDetailsFields index={index} label={label} endpoint={endpoint} providers={providers} errors={errors.fields} set={set} />
      <label className="mt-3 flex items-center gap-2 text-sm">
        <input type="checkbox" checked={endpoint.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        {label} enabled
      </label>

      <h3 className="mt-4 text-sm font-semibold">Prices (USD)</h3>
      <p className="text-xs text-zinc-500">
        Several rows of one fee item are its tiers by prompt size in thousands of tokens; together they must cover every size exactly once.
      </p>
      <PriceTable
        label={label}
        prices={endpoint.prices}
        rowErrors={errors.rows}
        onChangeRow={setRow}
        onRemoveRow={(r) => set({ prices: endpoint.prices.filter((_, i) => i !== r) })}
      />
      {errors.pricing.map((message) => (
        <p key={message} className="mt-1 text-xs text-red-600 dark:text-red-400">
          {message}
        </p>
      ))}
      <div className="mt-3 flex gap-2">
        <Button variant="secondary" onClick={() => set({ prices: [...endpoint.prices, emptyPriceRow("prompt")] })}>
          Add price
        </Button>
        {onRemove ? (
          <Button variant="ghost" onClick={onRemove}>
            Remove {label.toLowerCase()}
          </Button>
        ) : null}
      </div>
    </fieldset>
  );
}

function EndpointDetailsFields({
  index,
  label,
  endpoint,
  providers,
  errors,
  set,
}: {
  index: number;
  label: string;
  endpoint: EndpointForm;
  providers: string[];
  errors: EndpointErrors["fields"];
  set: SetEndpoint;
}) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <EndpointProviderSelect
        index={index}
        label={label}
        value={endpoint.provider}
        providers={providers}
        error={errors.provider}
        onChange={(provider) => set({ provider })}
      />
      <FormField
        label={`${label} name`}
        name={`endpoint-${index}-name`}
        value={endpoint.name}
        onChange={(e) => set({ name: e.target.value })}
        hint="Unique per provider, like acme_chat"
        error={errors.name}
      />
      <FormField
        label={`${label} upstream model id`}
        name={`endpoint-${index}-upstream`}
        value={endpoint.upstreamModel}
        onChange={(e) => set({ upstreamModel: e.target.value })}
        error={errors.upstreamModel}
      />
      <div className="grid grid-cols-2 gap-3">
        <FormField
          label={`${label} context`}
          name={`endpoint-${index}-context`}
          inputMode="numeric"
          value={endpoint.contextLength}
          onChange={(e) => set({ contextLength: e.target.value })}
          placeholder="model's"
          error={errors.contextLength}
        />
        <FormField
          label={`${label} max output`}
          name={`endpoint-${index}-max-output`}
          inputMode="numeric"
          value={endpoint.maxOutput}
          onChange={(e) => set({ maxOutput: e.target.value })}
          placeholder="model's"
          error={errors.maxOutput}
        />
      </div>
    </div>
  );
}

function EndpointProviderSelect({
  index,
  label,
  value,
  providers,
  error,
  onChange,
}: {
  index: number;
  label: string;
  value: string;
  providers: string[];
  error: string | undefined;
  onChange: (provider: string) => void;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={`endpoint-${index}-provider`} className="text-sm font-medium">
        {label} provider
      </label>
      <select
        id={`endpoint-${index}-provider`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={selectClass}
        aria-invalid={error ? true : undefined}
      >
        <option value="">Choose a provider</option>
        {[...new Set([...providers, value].filter(Boolean))].map((slug) => (
          <option key={slug} value={slug}>
            {slug}
          </option>
        ))}
      </select>
      {error ? <p className="text-xs text-red-600 dark:text-red-400">{error}</p> : null}
    </div>
  );
}
