/** The production transport: one keep-alive connection pool for all upstreams. */
import { Agent, errors, request } from "undici";
import { TransportError, type UpstreamTransport } from "./transport.ts";

export function createUndiciTransport(options: { connectTimeoutMs: number; idleTimeoutMs: number }): UpstreamTransport {
  const agent = new Agent({ connect: { timeout: options.connectTimeoutMs }, keepAliveTimeout: 30_000, connections: 256, pipelining: 1 });
  return {
    async send(upstream, { signal, headersTimeoutMs }) {
      try {
        const response = await request(upstream.url, {
          method: "POST",
          headers: upstream.headers,
          body: upstream.body,
          signal,
          dispatcher: agent,
          headersTimeout: headersTimeoutMs,
          bodyTimeout: options.idleTimeoutMs,
        });
        return { status: response.statusCode, headers: response.headers, body: response.body };
      } catch (error) {
        if (signal.aborted) throw new TransportError("aborted", "the request was aborted");
        if (error instanceof errors.ConnectTimeoutError) throw new TransportError("timeout", "connect timeout");
        if (error instanceof errors.HeadersTimeoutError) throw new TransportError("timeout", `no response within ${headersTimeoutMs} ms`);
        const code = (error as { code?: string }).code ?? "";
        if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|UND_ERR_SOCKET/.test(code)) throw new TransportError("connect", `connection failed (${code})`);
        throw new TransportError("network", (error as Error).message);
      }
    },
  };
}
