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
 */
import dns from "node:dns";
import type { LookupAddress, LookupAllOptions } from "node:dns";
import { isIP } from "node:net";
import { Agent, errors, request } from "undici";
import { TransportError, type UpstreamTransport } from "./transport.ts";

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

export function createUndiciTransport(options: { connectTimeoutMs: number; idleTimeoutMs: number; guard?: DestinationGuard }): UpstreamTransport {
  const pool = { keepAliveTimeout: 30_000, connections: 256, pipelining: 1 };
  const agent = new Agent({ connect: { timeout: options.connectTimeoutMs }, ...pool });
  const guard = options.guard;
  const checkedAgent = guard ? new Agent({ connect: { timeout: options.connectTimeoutMs, lookup: checkedLookup(guard) }, ...pool }) : agent;
  return {
    async send(upstream, { signal, headersTimeoutMs, checkDestination }) {
      try {
        if (checkDestination && guard) {
          const host = new URL(upstream.url).hostname.replace(/^\[|\]$/g, "");
          // An IP literal never reaches the lookup hook.
          const reason = isIP(host) ? guard.blockedReason(host) : null;
          if (reason) throw blockedError(`refused to connect to ${host}: ${reason}`);
        }
        const response = await request(upstream.url, {
          method: "POST",
          headers: upstream.headers,
          body: upstream.body,
          signal,
          dispatcher: checkDestination ? checkedAgent : agent,
          headersTimeout: headersTimeoutMs,
          bodyTimeout: options.idleTimeoutMs,
        });
        return { status: response.statusCode, headers: response.headers, body: response.body };
      } catch (error) {
        const code = (error as { code?: string }).code ?? "";
        if (code === BLOCKED) throw new TransportError("connect", (error as Error).message);
        if (signal.aborted) throw new TransportError("aborted", "the request was aborted");
        if (error instanceof errors.ConnectTimeoutError) throw new TransportError("timeout", "connect timeout");
        if (error instanceof errors.HeadersTimeoutError) throw new TransportError("timeout", `no response within ${headersTimeoutMs} ms`);
        if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|UND_ERR_SOCKET/.test(code)) throw new TransportError("connect", `connection failed (${code})`);
        throw new TransportError("network", (error as Error).message);
      }
    },
  };
}
