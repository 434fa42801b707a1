/**
 * Stopping the server (SIGTERM, as a supervisor or `docker stop` does) lets the
 * generations in flight finish and writes every record and charge before it exits.
 */
import { describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { startGatewayFixture } from "@/tests/support/gateway-fixture";

describe("graceful shutdown", () => {
  // The fixture's start and eight 2 s streams can take more than the default 30 s on a loaded box.
  it("finishes the streams in flight and records every call before exiting", async () => {
    const gw = await startGatewayFixture({ SHUTDOWN_GRACE_MS: "15000" });
    const db = createDb(gw.dbTarget);
    try {
      // ~2 s streams (1 token/s), so they are mid-flight when the signal arrives.
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`${gw.url}/api/v1/chat/completions`, {
            method: "POST",
            headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
            body: JSON.stringify({
              model: "test/any",
              stream: true,
              messages: [{ role: "user", content: "Hi" }],
              provider: { routing: { type: "order", providers: ["pausing"] } },
            }),
          }),
        ),
      );
      // Every stream has started (headers are in); now stop the server while they run.
      const bodies = responses.map(async (response) => ({ status: response.status, body: await response.text() }));
      const exitCode = await gw.server.stop();
      const results = await Promise.all(bodies);
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
      for (const { body } of results) expect(body.trimEnd().endsWith("data: [DONE]")).toBe(true);
      expect(exitCode).toBe(0);
      expect(gw.server.output()).toMatch(/SIGTERM: finishing 8 request\(s\) in flight/);
      expect(await db.generation.count({ where: { providerSlug: "pausing", status: "success" } })).toBe(8);
      expect(await db.ledgerEntry.count({ where: { userId: gw.userId, kind: "charge" } })).toBe(8);
    } finally {
      await db.$disconnect();
      await gw.stop();
    }
  }, 90_000);
});
