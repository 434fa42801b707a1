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
      <td className="px-1 py-1">
        <select
          aria-label={`${rowLabel} fee item`}
          value={row.item}
          onChange={(e) => onChange({ item: e.target.value as PriceRowForm["item"] })}
          className={selectClass}
        >
          {FEE_ITEMS.map((item) => (
            <option key={item} value={item}>
              {item}
            </option>
          ))}
        </select>
      </td>
      <td className="px-1 py-1">
        <input
          aria-label={`${rowLabel} value`}
          inputMode="decimal"
          value={row.value}
          onChange={(e) => onChange({ value: e.target.value })}
          className={cellInput}
          aria-invalid={error ? true : undefined}
        />
        {error ? <p className="mt-1 max-w-48 text-xs text-red-600 dark:text-red-400">{error}</p> : null}
      </td>
      <td className="px-1 py-1">
        <select
          aria-label={`${rowLabel} unit`}
          value={row.unit}
          onChange={(e) => onChange({ unit: e.target.value as PriceRowForm["unit"] })}
          className={selectClass}
        >
          <option value="perMTokens">per M tokens</option>
          <option value="perCount">per request</option>
          <option value="perSecond">per second</option>
        </select>
      </td>
      <td className="px-1 py-1 whitespace-nowrap">
        <select
          aria-label={`${rowLabel} lower bound`}
          value={row.fromOp}
          onChange={(e) => onChange({ fromOp: e.target.value as PriceRowForm["fromOp"] })}
          className={selectClass}
        >
          <option value="gte">≥</option>
          <option value="gt">&gt;</option>
        </select>
        <input
          aria-label={`${rowLabel} from`}
          inputMode="decimal"
          placeholder="0"
          value={row.from}
          onChange={(e) => onChange({ from: e.target.value })}
          className={`${cellInput} ml-1`}
        />
      </td>
      <td className="px-1 py-1 whitespace-nowrap">
        <select
          aria-label={`${rowLabel} upper bound`}
          value={row.toOp}
          onChange={(e) => onChange({ toOp: e.target.value as PriceRowForm["toOp"] })}
          className={selectClass}
        >
          <option value="lt">&lt;</option>
          <option value="lte">≤</option>
        </select>
        <input
          aria-label={`${rowLabel} to`}
          inputMode="decimal"
          placeholder="no limit"
          value={row.to}
          onChange={(e) => onChange({ to: e.target.value })}
          className={`${cellInput} ml-1`}
        />
      </td>
      <td className="px-1 py-1">
        <Button variant="ghost" aria-label={`Remove ${rowLabel}`} onClick={onRemove}>
          ✕
        </Button>
      </td>
    </tr>
  );
}
