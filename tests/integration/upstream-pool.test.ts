/**
 * The upstream connection pool through the real route, with UPSTREAM_MAX_CONNECTIONS=4:
 * once four long streams hold every connection to a provider's origin, more requests
 * fail over to a provider on another origin at once (or after the first-token deadline,
 * for one already queued), and a request pinned to the saturated provider gets a 504
 * within that deadline instead of waiting for a connection.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

let gw: GatewayFixture;
beforeAll(async () => {
  gw = await startGatewayFixture({ UPSTREAM_MAX_CONNECTIONS: "4" });
});
afterAll(async () => gw?.stop());

const clients = new AbortController();
afterAll(() => clients.abort());

function stream(model: string, extra: Record<string, unknown> = {}) {
  return fetch(`${gw.url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${gw.key}` },
    body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "Hi" }], ...extra }),
    signal: clients.signal,
  });
}

async function attemptsOf(response: Response): Promise<{ provider: string; errorType: string | null }[]> {
  const record = await gw.recordOf(response);
  return record.attempts.map((a) => ({ provider: a.provider, errorType: a.error?.type ?? null }));
}

describe("a saturated upstream origin", () => {
  it("serves 12 concurrent slow streams: four on the provider's four connections, the rest failed over to another origin", async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => stream("test/pool", { provider: { routing: { type: "order", providers: ["pool-slow", "pool-spare"] } } })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    const servedBy = responses.map((r) => r.headers.get("x-switchyard-provider"));
    expect(servedBy.filter((p) => p === "pool-slow")).toHaveLength(4);
    expect(servedBy.filter((p) => p === "pool-spare")).toHaveLength(8);
    expect(gw.fake.stats().byProvider["pool-slow"]).toMatchObject({ calls: 4, inFlight: 4 });
    const failedOver = await Promise.all(responses.filter((r) => r.headers.get("x-switchyard-provider") === "pool-spare").map(attemptsOf));
    for (const attempts of failedOver) {
      expect(attempts.map((a) => a.provider)).toEqual(["pool-slow", "pool-spare"]);
      // Saturated at once; a request already queued when the pool filled waits out the first-token deadline.
      expect(["provider_saturated", "provider_timeout"]).toContain(attempts[0].errorType);
    }
    expect(failedOver.filter((attempts) => attempts[0].errorType === "provider_saturated").length).toBeGreaterThan(0);
  });

  it("answers a request pinned to the saturated provider with 504 within the first-token deadline, never reaching it", async () => {
    const response = await stream("test/pool:pool-slow");
    expect(response.status).toBe(504);
    expect((await response.json()).error).toMatchObject({ type: "provider_timeout" });
    expect(await attemptsOf(response)).toMatchObject([{ provider: "pool-slow", errorType: "provider_timeout" }]);
    expect(gw.fake.stats().byProvider["pool-slow"].calls).toBe(4);
  });
});
