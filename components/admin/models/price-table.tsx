"use client";
/** An endpoint's price rows in the model editor: fee item, price, unit and the tier's bounds, each row removable. */
import { Button } from "@/components/ui/button";
import { FEE_ITEMS } from "@/lib/gateway/metering/price-schema";
import type { PriceRowForm } from "@/lib/catalog/admin/model-form";

export const selectClass = "rounded-md border border-zinc-300 bg-white px-2 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const cellInput =
  "w-24 rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900";

export function PriceTable({
  label,
  prices,
  rowErrors,
  onChangeRow,
  onRemoveRow,
}: {
  label: string;
  prices: PriceRowForm[];
  rowErrors: Record<number, string>;
  onChangeRow: (row: number, patch: Partial<PriceRowForm>) => void;
  onRemoveRow: (row: number) => void;
}) {
  return (
    <div className="relative mt-2 overflow-x-auto">
      <table className="text-sm">
        <thead className="text-xs text-zinc-500">
          <tr>
            <th className="px-1 text-left font-normal">Fee item</th>
            <th className="px-1 text-left font-normal">Price</th>
            <th className="px-1 text-left font-normal">Unit</th>
            <th className="px-1 text-left font-normal">From (k tokens)</th>
            <th className="px-1 text-left font-normal">To (k tokens)</th>
            <th className="sr-only">Remove</th>
          </tr>
        </thead>
        <tbody>
          {prices.map((row, r) => (
            <PriceRow
              key={r}
              label={`${label} price ${r + 1}`}
              row={row}
              error={rowErrors[r]}
              onChange={(patch) => onChangeRow(r, patch)}
              onRemove={() => onRemoveRow(r)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PriceRow({
  label: rowLabel,
  row,
  error,
  onChange,
  onRemove,
}: {
  label: string;
  row: PriceRowForm;
  error: string | undefined;
  onChange: (patch: Partial<PriceRowForm>) => void;
  onRemove: () => void;
}) {
  return (
    <tr className="align-top">
      <FeeItemCell label={`${rowLabel} fee item`} item={row.item} onChange={(item) => onChange({ item })} />
      <PriceValueCell label={`${rowLabel} value`} value={row.value} error={error} onChange={(value) => onChange({ value })} />
      <UnitCell label={`${rowLabel} unit`} unit={row.unit} onChange={(unit) => onChange({ unit })} />
      <TierBoundCell
        label={`${rowLabel} lower bound`}
        inputLabel={`${rowLabel} from`}
        operator={row.fromOp}
        operators={[
          ["gte", "≥"],
          ["gt", ">"],
        ]}
        value={row.from}
        placeholder="0"
        onOperator={(fromOp) => onChange({ fromOp: fromOp as PriceRowForm["fromOp"] })}
        onValue={(from) => onChange({ from })}
      />
      <TierBoundCell
        label={`${rowLabel} upper bound`}
        inputLabel={`${rowLabel} to`}
        operator={row.toOp}
        operators={[
          ["lt", "<"],
          ["lte", "≤"],
        ]}
        value={row.to}
        placeholder="no limit"
        onOperator={(toOp) => onChange({ toOp: toOp as PriceRowForm["toOp"] })}
        onValue={(to) => onChange({ to })}
      />
      <td className="px-1 py-1">
        <Button variant="ghost" aria-label={`Remove ${rowLabel}`} onClick={onRemove}>
          ✕
        </Button>
      </td>
    </tr>
  );
}

function FeeItemCell({ label, item, onChange }: { label: string; item: PriceRowForm["item"]; onChange: (item: PriceRowForm["item"]) => void }) {
  return (
    <td className="px-1 py-1">
      <select aria-label={label} value={item} onChange={(e) => onChange(e.target.value as PriceRowForm["item"])} className={selectClass}>
        {FEE_ITEMS.map((feeItem) => (
          <option key={feeItem} value={feeItem}>
            {feeItem}
          </option>
        ))}
      </select>
    </td>
  );
}

function PriceValueCell({ label, value, error, onChange }: { label: string; value: string; error: string | undefined; onChange: (value: string) => void }) {
  return (
    <td className="px-1 py-1">
      <input
        aria-label={label}
        inputMode="decimal"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={cellInput}
        aria-invalid={error ? true : undefined}
      />
      {error ? <p className="mt-1 max-w-48 text-xs text-red-600 dark:text-red-400">{error}</p> : null}
    </td>
  );
}

function UnitCell({ label, unit, onChange }: { label: string; unit: PriceRowForm["unit"]; onChange: (unit: PriceRowForm["unit"]) => void }) {
  return (
    <td className="px-1 py-1">
      <select aria-label={label} value={unit} onChange={(e) => onChange(e.target.value as PriceRowForm["unit"])} className={selectClass}>
        <option value="perMTokens">per M tokens</option>
        <option value="perCount">per request</option>
        <option value="perSecond">per second</option>
      </select>
    </td>
  );
}

/** One end of a tier: its comparison (≥ or >, < or ≤) and its bound in thousands of tokens. */
function TierBoundCell(props: {
  label: string;
  inputLabel: string;
  operator: string;
  operators: [string, string][];
  value: string;
  placeholder: string;
  onOperator: (operator: string) => void;
  onValue: (value: string) => void;
}) {
  return (
    <td className="px-1 py-1 whitespace-nowrap">
      <select aria-label={props.label} value={props.operator} onChange={(e) => props.onOperator(e.target.value)} className={selectClass}>
        {props.operators.map(([value, sign]) => (
          <option key={value} value={value}>
            {sign}
          </option>
        ))}
      </select>
      <input
        aria-label={props.inputLabel}
        inputMode="decimal"
        placeholder={props.placeholder}
        value={props.value}
        onChange={(e) => props.onValue(e.target.value)}
        className={`${cellInput} ml-1`}
      />
    </td>
  );
}
