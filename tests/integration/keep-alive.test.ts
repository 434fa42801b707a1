/**
 * Keep-alive clients: a client that reuses an idle connection after a pause must find it
 * still open. With Node's default 5 s keep-alive the server closed it first, and a request
 * sent at that moment failed with ECONNRESET / "other side closed".
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as pause } from "node:timers/promises";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStartScript, startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";

describe("the server's keep-alive", () => {
  let dir: string;
  let server: SwitchyardProcess | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-keepalive-"));
    server = await startSwitchyard({ DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "db.sqlite")}`, AUTH_SECRET: "", CATALOG_FILE: "" });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps an idle connection open for 65 s, so a client pausing 6 s between calls reuses the same socket", async () => {
    // undici, like the SDKs' fetch, keeps a connection as long as the server's Keep-Alive hint allows.
    const agent = new Agent({ connections: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 120_000 });
    let connections = 0;
    agent.on("connect", () => (connections += 1));
    try {
      const first = await request(`${server!.url}/api/health`, { dispatcher: agent });
      expect(first.statusCode).toBe(200);
      await first.body.text();
      // The idle time between two calls of an ordinary client: longer than Node's 5 s default.
      await pause(6_000);
      const second = await request(`${server!.url}/api/health`, { dispatcher: agent });
      expect(second.statusCode).toBe(200);
      await second.body.text();
      expect(connections).toBe(1);
      expect(second.headers["keep-alive"]).toBe("timeout=65");
      // The header timeout, which next start has no flag for, was set on the same server.
      expect(server!.output()).toContain("HTTP keep-alive timeout 65000 ms, header timeout 66000 ms");
    } finally {
      await agent.close();
    }
  }, 30_000);

  it("refuses a header timeout that is not above the keep-alive timeout", async () => {
    const result = await runStartScript({
      DATA_DIR: dir,
      DATABASE_URL: `file:${path.join(dir, "db.sqlite")}`,
      KEEP_ALIVE_TIMEOUT_MS: "65000",
      HEADERS_TIMEOUT_MS: "60000",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("HEADERS_TIMEOUT_MS (60000) must be larger than KEEP_ALIVE_TIMEOUT_MS (65000)");
  });
});
