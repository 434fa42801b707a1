/**
 * An amount of money as people read it (cents, or four significant digits below a cent)
 * with the exact amount on hover. Every console page shows money through this, so the
 * rounding rule lives in one place (lib/activity/usage-format.ts). Renders on the server
 * and in the browser alike.
 */
import { formatExactUsd, formatUsd } from "@/lib/activity/usage-format";
import { parseSignedUsdToNano } from "@/lib/gateway/metering/money";

type MoneyProps = {
  /** integer nano-USD, or the API's exact decimal USD string ("0.004217301") */
  amount: bigint | string;
  /** "+$5.00" for credits, "−$0.0042" (a real minus sign) for debits */
  signed?: boolean;
  className?: string;
};

export function toNanoUsd(amount: bigint | string): bigint {
  return typeof amount === "bigint" ? amount : (parseSignedUsdToNano(amount) ?? 0n);
}

export function Money({ amount, signed = false, className }: MoneyProps) {
  const nano = toNanoUsd(amount);
  const shown = formatUsd(nano);
  const exact = formatExactUsd(nano);
  const text = signed ? (nano < 0n ? `−${shown.slice(1)}` : `+${shown}`) : shown;
  return (
    <span className={["tabular-nums", className].filter(Boolean).join(" ")} title={exact} data-exact={exact}>
      {text}
    </span>
  );
}
