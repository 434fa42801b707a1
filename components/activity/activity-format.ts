/** How the activity page writes its numbers: exact cost, whole milliseconds, tokens/s. */
export function formatCost(usd: string): string {
  return Number(usd) === 0 ? "$0" : `$${usd}`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toLocaleString("en-US")} ms`;
}

export function formatTps(tps: number | null): string {
  return tps === null ? "—" : `${tps.toFixed(1)} tok/s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** Short, for table rows: the year only when it is not this one. */
export function formatShortTime(iso: string): string {
  const date = new Date(iso);
  const thisYear = date.getFullYear() === new Date().getFullYear();
  return date.toLocaleString(undefined, {
    ...(thisYear ? {} : { year: "numeric" }),
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  });
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
