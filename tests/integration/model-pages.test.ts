/**
 * The model page over HTTP, signed out, after real calls: both providers with their
 * measured latency, and the provider the page calls fastest is the one the router picks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

const call = (gw: GatewayFixture, model: string) =>
  fetch(`${gw.url}/api/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" }, body: JSON.stringify({ model, messages: [{ role: "user", content: "Hi" }] }) });

/** The text of the <dd> that follows a <dt> in the page's HTML. */
function definition(html: string, term: string): string | null {
  const match = new RegExp(`<dt[^>]*>${term}</dt><dd[^>]*>([^<]*)</dd>`).exec(html);
  return match ? match[1] : null;
}

describe("model pages", () => {
  let gw: GatewayFixture;
  beforeAll(async () => {
    gw = await startGatewayFixture();
  });
  afterAll(async () => gw?.stop());

  it("say no data yet before any traffic", async () => {
    const response = await fetch(`${gw.url}/models/test/priced`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(definition(html, "Fastest now")).toBe("no data yet");
    expect(html).toContain("no data yet");
    expect(html).toContain("$0.50/M tokens");
    expect((await fetch(`${gw.url}/models/test/nonexistent`)).status).toBe(404);
  });

  it("show both providers measured and name as fastest the provider the router then prefers", async () => {
    // `slow` answers its first token 300 ms later (see the fixture's providers).
    for (let i = 0; i < 4; i++) {
      expect((await call(gw, "test/chat:fast")).status).toBe(200);
      expect((await call(gw, "test/chat:slow")).status).toBe(200);
    }
    const html = await (await fetch(`${gw.url}/models/test/chat`)).text();
    const fastest = definition(html, "Fastest now");
    expect(fastest).toBe("fast");
    const ttft = (provider: string) => Number(new RegExp(`${provider}</code>[\\s\\S]*?(\\d[\\d,]*) ms / `).exec(html)?.[1].replace(/,/g, ""));
    expect(ttft("slow")).toBeGreaterThan(ttft("fast") + 200);
    expect(html).toMatch(/100% \/ 100% \/ 100%/);
    const routed = await call(gw, "test/chat");
    expect(routed.headers.get("x-switchyard-provider")).toBe(fastest);
  });
});
