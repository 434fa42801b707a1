/**
 * The HTTP client the attempt loop uses, as a port: a pooled keep-alive undici Agent
 * in production (undici-transport.ts), anything in tests. Redirects are never followed.
 */
import type { UpstreamRequest } from "../providers/types.ts";

export type UpstreamResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Uint8Array> & { destroy?: (error?: Error) => void };
};

export interface UpstreamTransport {
  /**
   * `checkDestination`: the provider was entered in the admin console, so the transport
   * refuses private and metadata addresses at connection time (unless the operator
   * allows private upstreams). Catalog-file providers are operator configuration.
   */
  send(request: UpstreamRequest, options: SendOptions): Promise<UpstreamResponse>;
}

export type SendOptions = {
  signal: AbortSignal;
  headersTimeoutMs: number;
  checkDestination?: boolean;
  /**
   * Another candidate is left to try: when every pooled connection to this origin is
   * busy, fail at once (kind "saturated") instead of queueing for one. The last
   * candidate queues, bounded by the caller's first-token deadline.
   */
  failIfSaturated?: boolean;
};

/** Why a transport call failed before any response: the attempt loop fails over on all of these. */
export class TransportError extends Error {
  constructor(
    readonly kind: "connect" | "timeout" | "aborted" | "network" | "saturated",
    message: string,
  ) {
    super(message);
    this.name = "TransportError";
  }
}
