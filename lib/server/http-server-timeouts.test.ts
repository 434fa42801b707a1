import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { serverTimeouts } from "../setup/server-timeouts";
import { installServerTimeouts } from "./http-server-timeouts";

describe("server timeouts", () => {
  it("default to 65 s keep-alive and one second more for headers, and read both from the environment", () => {
    expect(serverTimeouts({})).toEqual({ keepAliveTimeoutMs: 65_000, headersTimeoutMs: 66_000 });
    expect(serverTimeouts({ KEEP_ALIVE_TIMEOUT_MS: "120000" })).toEqual({ keepAliveTimeoutMs: 120_000, headersTimeoutMs: 121_000 });
    expect(serverTimeouts({ KEEP_ALIVE_TIMEOUT_MS: "10000", HEADERS_TIMEOUT_MS: "30000" })).toEqual({ keepAliveTimeoutMs: 10_000, headersTimeoutMs: 30_000 });
  });

  it("refuse values that are not positive milliseconds, and a header timeout not above the keep-alive", () => {
    expect(() => serverTimeouts({ KEEP_ALIVE_TIMEOUT_MS: "65s" })).toThrow('KEEP_ALIVE_TIMEOUT_MS must be a positive number of milliseconds, got "65s"');
    expect(() => serverTimeouts({ HEADERS_TIMEOUT_MS: "0" })).toThrow(/HEADERS_TIMEOUT_MS must be a positive/);
    expect(() => serverTimeouts({ HEADERS_TIMEOUT_MS: "65000" })).toThrow("HEADERS_TIMEOUT_MS (65000) must be larger than KEEP_ALIVE_TIMEOUT_MS (65000)");
  });

  describe("on a running http.Server", () => {
    let server: Server;
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("are set by its first request, on a server the start script did not create (next start, next dev)", async () => {
      installServerTimeouts({ KEEP_ALIVE_TIMEOUT_MS: "70000" });
      server = createServer((_request, response) => response.end("ok"));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      expect(server.keepAliveTimeout).toBe(5_000);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await (await fetch(url)).text();
      expect({ keepAlive: server.keepAliveTimeout, headers: server.headersTimeout }).toEqual({ keepAlive: 70_000, headers: 71_000 });
      expect((await fetch(url)).headers.get("keep-alive")).toBe("timeout=70");
    });
  });
});
