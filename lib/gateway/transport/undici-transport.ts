/**
 * The production transport: keep-alive connection pools for all upstreams. Redirects
 * are never followed (undici's `request` has no redirect handling unless asked), so an
 * upstream cannot bounce a request, and its credential, to another host.
 *
 * Requests marked `checkDestination` (providers an admin entered in the console) go
 * through a second pool whose connector checks every address it is about to connect
 * to with `guard.blockedReason`: IP literals before the request, host names in the
 * DNS lookup hook, so a name that resolved to a public address when it was saved and to
 * a private one now (DNS rebinding) is refused at connection time.
 *
 * Each origin gets up to `maxConnections` connections (UPSTREAM_MAX_CONNECTIONS): one
 * HTTP/1.1 stream each, so this is the number of concurrent streams to one provider.
 * When all of them are busy a request would wait in undici's queue; with
 * `failIfSaturated` it fails at once instead, so the attempt loop tries the next
 * candidate rather than spending its first-token deadline in a queue.
 */
import dns from "node:dns";
import type { LookupAddress, LookupAllOptions } from "node:dns";
import { isIP } from "node:net";
import { Agent, errors, Pool, request } from "undici";
import { TransportError, type UpstreamTransport } from "./transport.ts";

export type UndiciTransportOptions = {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  guard?: DestinationGuard;
  /** connections per upstream origin (each pool: the plain one and the checked one) */
  maxConnections?: number;
  /** negotiate HTTP/2 through ALPN with https upstreams that offer it (many streams per connection) */
  allowH2?: boolean;
};

export const DEFAULT_MAX_CONNECTIONS = 4096;

export type DestinationGuard = {
  /** why an address may not be connected to, or null when it may */
  blockedReason(address: string): string | null;
  /** the resolver behind the check (tests inject one); dns.lookup by default */
  lookup?: (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;
};

const BLOCKED = "ESWITCHYARD_BLOCKED_DESTINATION";

function blockedError(message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code: BLOCKED });
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A net.connect `lookup` that resolves every address and refuses the connection if any is blocked. */
function checkedLookup(guard: DestinationGuard) {
  const resolveAll = guard.lookup ?? ((hostname, options, callback) => dns.lookup(hostname, options, callback));
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    resolveAll(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      for (const { address } of addresses) {
        const reason = guard.blockedReason(address);
        if (reason) return callback(blockedError(`refused to connect to ${hostname}: it resolves to ${address}, ${reason}`), "");
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "");
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** An Agent whose per-origin pools stay reachable, so their load can be read before a request. */
function createPooledAgent(connect: Agent.Options["connect"], options: Pool.Options) {
  const pools = new Map<string, Pool>();
  const agent = new Agent({
    ...options,
    connect,
    factory: (origin, poolOptions) => {
      const pool = new Pool(origin, poolOptions);
      pools.set(new URL(String(origin)).origin, pool);
      return pool;
    },
  });
  /** Every connection to `origin` is busy (or the pool already queues), so a request would wait. */
  const saturated = (origin: string) => {
    const pool = pools.get(origin);
    if (!pool || pool.closed || pool.destroyed) return false;
    const stats = pool.stats;
    return stats.queued > 0 || (stats.connected >= (options.connections ?? Infinity) && stats.free === 0);
  };
  return { agent, saturated };
}

export function createUndiciTransport(options: UndiciTransportOptions): UpstreamTransport {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const pool: Pool.Options = { keepAliveTimeout: 30_000, connections: maxConnections, pipelining: 1, allowH2: options.allowH2 ?? false };
  const plain = createPooledAgent({ timeout: options.connectTimeoutMs }, pool);
  const guard = options.guard;
  const checked = guard ? createPooledAgent({ timeout: options.connectTimeoutMs, lookup: checkedLookup(guard) }, pool) : plain;
  return {
    async send(upstream, { signal, headersTimeoutMs, checkDestination, failIfSaturated }) {
      const dispatcher = checkDestination ? checked : plain;
      const url = new URL(upstream.url);
      try {
        if (checkDestination && guard) {
          const host = url.hostname.replace(/^\[|\]$/g, "");
          // An IP literal never reaches the lookup hook.
          const reason = isIP(host) ? guard.blockedReason(host) : null;
          if (reason) throw blockedError(`refused to connect to ${host}: ${reason}`);
        }
        if (failIfSaturated && dispatcher.saturated(url.origin)) {
          throw new TransportError("saturated", `all ${maxConnections} connections to ${url.host} are busy`);
        }
        const response = await request(upstream.url, {
          method: "POST",
          headers: upstream.headers,
          body: upstream.body,
          signal,
          dispatcher: dispatcher.agent,
          headersTimeout: headersTimeoutMs,
          bodyTimeout: options.idleTimeoutMs,
        });
        return { status: response.statusCode, headers: response.headers, body: response.body };
      } catch (error) {
        if (error instanceof TransportError) throw error;
        const code = (error as { code?: string }).code ?? "";
        if (code === BLOCKED) throw new TransportError("connect", (error as Error).message);
        if (signal.aborted) throw new TransportError("aborted", "the request was aborted");
        if (error instanceof errors.ConnectTimeoutError) throw new TransportError("timeout", "connect timeout");
        if (error instanceof errors.HeadersTimeoutError) throw new TransportError("timeout", `no response within ${headersTimeoutMs} ms`);
        if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|UND_ERR_SOCKET/.test(code))
          throw new TransportError("connect", `connection failed (${code})`);
        throw new TransportError("network", (error as Error).message);
      }
    },
  };
}
