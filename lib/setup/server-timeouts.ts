/**
 * The HTTP server's idle keep-alive and header timeouts. Node's defaults (5 s keep-alive)
 * race clients and load balancers that keep idle connections longer: a request sent on
 * a connection the server is closing fails with ECONNRESET / "other side closed". A proxy
 * must outlive its clients' and load balancer's idle timeout (60 s on AWS ALB, nginx's
 * upstream keepalive_timeout, the SDKs' pools), hence 65 s; the header timeout stays above
 * it, as load-balancer guides ask.
 */
export type ServerTimeouts = { keepAliveTimeoutMs: number; headersTimeoutMs: number };

export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

export class ServerTimeoutError extends Error {}

function readMs(env: Readonly<Record<string, string | undefined>>, name: string): number | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new ServerTimeoutError(`${name} must be a positive number of milliseconds, got "${raw}"`);
  return Number(raw);
}

/** KEEP_ALIVE_TIMEOUT_MS (default 65 s) and HEADERS_TIMEOUT_MS (default one second more), checked. */
export function serverTimeouts(env: Readonly<Record<string, string | undefined>>): ServerTimeouts {
  const keepAliveTimeoutMs = readMs(env, "KEEP_ALIVE_TIMEOUT_MS") ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
  const headersTimeoutMs = readMs(env, "HEADERS_TIMEOUT_MS") ?? keepAliveTimeoutMs + 1_000;
  if (headersTimeoutMs <= keepAliveTimeoutMs) {
    throw new ServerTimeoutError(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must be larger than KEEP_ALIVE_TIMEOUT_MS (${keepAliveTimeoutMs})`);
  }
  return { keepAliveTimeoutMs, headersTimeoutMs };
}
