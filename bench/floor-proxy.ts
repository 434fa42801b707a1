/**
 * The floor: the least a Node proxy can do — node:http in front, a pooled undici client
 * behind, bodies streamed through untouched. Whatever Switchyard costs beyond this is
 * the gateway's own work. Run by the bench as a child process, in plain node (see
 * startFloorProxy), with the upstream base URL as its argument; prints `listening <url>`.
 */
import { createServer } from "node:http";
import { Pool } from "undici";

const upstreamBase = new URL(process.argv[2] ?? "");
const pool = new Pool(upstreamBase.origin, { connections: 2048, keepAliveTimeout: 30_000, pipelining: 1 });
// Hop-by-hop headers are the proxy's own business on each side.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host"]);

const server = createServer((req, res) => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string" && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  pool
    .request({ method: "POST", path: `${upstreamBase.pathname.replace(/\/$/, "")}${req.url ?? "/"}`, headers, body: req })
    .then(({ statusCode, headers: upstreamHeaders, body }) => {
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(upstreamHeaders)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      }
      res.writeHead(statusCode, out);
      body.on("error", () => res.destroy());
      body.pipe(res);
      res.on("close", () => body.destroy());
    })
    .catch((error: unknown) => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: error instanceof Error ? error.message : String(error) } }));
    });
});
server.keepAliveTimeout = 30_000;

// A deep accept queue, so a burst of connects is not dropped at the floor.
server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`listening http://127.0.0.1:${port}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void pool.close().finally(() => process.exit(0));
  });
}
