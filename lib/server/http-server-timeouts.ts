/**
 * The HTTP timeouts for servers Switchyard does not create. `npm start` (scripts/serve.mjs)
 * sets both on its own server before it listens; `next start`, `next dev` and a Next-only
 * deployment create theirs inside Next, which has no option for the header timeout. Node
 * announces every request with its http.Server on the `http.server.request.start`
 * diagnostics channel, so such a server is tuned on its first request, without wrapping
 * Next's server or patching Node.
 */
import diagnosticsChannel from "node:diagnostics_channel";
import type { Server } from "node:http";
import { serverTimeouts } from "../setup/server-timeouts.ts";

export function installServerTimeouts(env: Readonly<Record<string, string | undefined>> = process.env): void {
  const { keepAliveTimeoutMs, headersTimeoutMs } = serverTimeouts(env);
  const tuned = new WeakSet<Server>();
  diagnosticsChannel.subscribe("http.server.request.start", (message) => {
    const { server } = message as { server: Server };
    if (tuned.has(server)) return;
    tuned.add(server);
    // On serve.mjs's server this sets the values it already has. Elsewhere the first
    // response still carries Node's 5 s hint: it exists before this runs.
    server.keepAliveTimeout = keepAliveTimeoutMs;
    server.headersTimeout = headersTimeoutMs;
    console.log(`switchyard: HTTP keep-alive timeout ${keepAliveTimeoutMs} ms, header timeout ${headersTimeoutMs} ms`);
  });
}
