/**
 * Usage and the dashboard agree with the provider pages, through the real server on SQLite
 * and PostgreSQL: a failed call counts under the model its alias or pin resolved to (not
 * the name the client sent), and per-provider success counts every attempt, failovers
 * included, with the calls each provider served apart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderUsageRow } from "@/lib/activity/provider-attempts";
import type { UsageCharts } from "@/lib/activity/usage-charts";
import type { DashboardFigures } from "@/lib/activity/dashboard-figures";
import { ConsoleClient } from "@/tests/support/console-client";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

for (const kind of await availableDatabaseKinds()) {
  describe(`usage grouping on ${kind}`, () => {
    let gw: GatewayFixture;
    let drop: (() => Promise<void>) | undefined;
    let client: ConsoleClient;
    const ids: string[] = [];

    const call = async (body: Record<string, unknown>, expected: number) => {
      const response = await fetch(`${gw.url}/api/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "Hello" }], ...body }),
      });
      expect(response.status, await response.clone().text()).toBe(expected);
      ids.push(response.headers.get("x-request-id")!);
    };

    beforeAll(async () => {
      const created = await createTestTarget(kind);
      drop = created.dropTarget;
      gw = await startGatewayFixture({}, { database: created.target });
      client = new ConsoleClient(gw.url);
      expect(await client.signIn("dev@example.com", "long enough password")).toBeNull();
      await call({ model: "chat-alias" }, 200);
      // A pin to a failing provider: its own error, passed on.
      await call({ model: "test/broken-only:broken" }, 503);
      // Unpinned, every provider failing.
      await call({ model: "test/broken-only" }, 502);
      // An order that fails over from broken to fast.
      await call({ model: "test/any", provider: { routing: { type: "order", providers: ["broken", "fast"] } } }, 200);
      // Records are written a moment after the answer: wait until all four are readable.
      for (const id of ids) await gw.recordOf(id);
    }, 180_000);

    afterAll(async () => {
      await gw?.stop();
      await drop?.();
    });

    it("Usage groups calls under the resolved model, failed ones included, never under the alias or pin sent", async () => {
      const response = await client.fetch("/api/console/usage?range=24h");
      expect(response.status).toBe(200);
      const charts = (await response.json()) as UsageCharts;
      const models = Object.fromEntries(charts.usage.models.map((m) => [m.id, { requests: m.requests, errors: m.errors }]));
      expect(models).toEqual({
        "test/chat": { requests: 1, errors: 0 },
        "test/broken-only": { requests: 2, errors: 2 },
        "test/any": { requests: 1, errors: 0 },
      });
    });

    it("the dashboard groups them the same way", async () => {
      const response = await client.fetch("/api/console/usage/summary");
      expect(response.status).toBe(200);
      const figures = (await response.json()) as DashboardFigures;
      expect(figures.requests).toBe(4);
      expect(figures.errors).toBe(2);
      expect(figures.topModels.map((m) => m.model).sort()).toEqual(["test/any", "test/broken-only", "test/chat"]);
    });

    it("per-provider success counts every attempt, and served calls are shown apart", async () => {
      const charts = (await (await client.fetch("/api/console/usage?range=24h")).json()) as UsageCharts;
      const rows = new Map<string, ProviderUsageRow>(charts.providers.rows.map((row) => [row.id, row]));
      const broken = rows.get("broken")!;
      expect(broken).toMatchObject({ attempts: 3, attemptSuccessRate: 0, servedCalls: 0 });
      const fast = rows.get("fast")!;
      expect(fast.attemptSuccessRate).toBe(1);
      expect(fast.servedCalls).toBe(fast.attempts);
      const served = charts.providers.rows.reduce((sum, row) => sum + row.servedCalls, 0);
      expect(served).toBe(2);
      const attempts = charts.providers.rows.reduce((sum, row) => sum + row.attempts, 0);
      expect(attempts).toBe(5);
      expect(charts.providers.successRate).toBeCloseTo(2 / 5, 10);
    });
  });
}
