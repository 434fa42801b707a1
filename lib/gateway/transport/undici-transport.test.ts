import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockedAddressReason } from "../../provider-config/url-policy";
import { TransportError } from "./transport";
import { createUndiciTransport } from "./undici-transport";

async function drain(body: AsyncIterable<Uint8Array>): Promise<string> {
  let text = "";
  for await (const chunk of body) text += Buffer.from(chunk).toString("utf8");
  return text;
}

describe("undici transport", () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(request.url ?? "");
      if (request.url === "/redirect") {
        response.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end("moved");
        return;
      }
      response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const options = { signal: new AbortController().signal, headersTimeoutMs: 2000 };
  const upstream = (url: string) => ({ url, headers: { "content-type": "application/json" }, body: "{}" });
  // "rebinding.test" resolved publicly when it was saved; now it answers with loopback.
  const guard = {
    blockedReason: blockedAddressReason,
    lookup: (hostname: string, _options: object, callback: (error: NodeJS.ErrnoException | null, addresses: { address: string; family: number }[]) => void) =>
      hostname === "rebinding.test"
        ? callback(null, [{ address: "127.0.0.1", family: 4 }])
        : callback(Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" }), []),
  };

  it("does not follow redirects: the 302 comes back and the target is never requested", async () => {
    hits.length = 0;
    const response = await createUndiciTransport({ connectTimeoutMs: 2000, idleTimeoutMs: 2000 }).send(upstream(`http://127.0.0.1:${port}/redirect`), options);
    expect(response.status).toBe(302);
    expect(await drain(response.body)).toBe("moved");
    expect(hits).toEqual(["/redirect"]);
  });

  it("refuses private destinations of console-entered providers, IP literals and resolved names alike, without connecting", async () => {
    hits.length = 0;
    const transport = createUndiciTransport({ connectTimeoutMs: 2000, idleTimeoutMs: 2000, guard });
    await expect(transport.send(upstream(`http://127.0.0.1:${port}/x`), { ...options, checkDestination: true })).rejects.toThrow(
      new TransportError("connect", "refused to connect to 127.0.0.1: a loopback address"),
    );
    await expect(transport.send(upstream(`http://[::ffff:127.0.0.1]:${port}/x`), { ...options, checkDestination: true })).rejects.toThrow(/loopback address/);
    await expect(transport.send(upstream(`http://rebinding.test:${port}/x`), { ...options, checkDestination: true })).rejects.toThrow(
      /refused to connect to rebinding.test: it resolves to 127.0.0.1, a loopback address/,
    );
    expect(hits).toEqual([]);
    // Catalog providers (operator configuration) are not checked.
    const trusted = await transport.send(upstream(`http://127.0.0.1:${port}/x`), options);
    expect(trusted.status).toBe(200);
    await drain(trusted.body);
    expect(hits).toEqual(["/x"]);
  });
});
