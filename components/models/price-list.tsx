/** An endpoint's prices, one line per fee item, tiers spelled out (lib/public-pages/model-detail.ts `priceLines`). */
import type { PriceLine } from "@/lib/public-pages/model-detail";

export function PriceList({ prices }: { prices: PriceLine[] }) {
  return (
    <dl className="text-xs">
      {prices.map((p) => (
        <div key={p.feeItem}>
          <dt className="inline text-zinc-500">{p.label}: </dt>
          <dd className="inline">{p.text}</dd>
        </div>
      ))}
    </dl>
  );
}
