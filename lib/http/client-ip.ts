/**
 * The caller's address for throttling. `next start` appends the socket's peer to
 * X-Forwarded-For, so the rightmost entry is the one a client cannot forge; with
 * TRUSTED_PROXY_HOPS=N (N proxies in front), the entry N places from the right.
 */
export function clientIp(headers: Headers, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const hops = Math.max(0, Number.parseInt(env.TRUSTED_PROXY_HOPS ?? "0", 10) || 0);
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return chain[Math.max(0, chain.length - 1 - hops)] ?? headers.get("x-real-ip") ?? "unknown";
}
