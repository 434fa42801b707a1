/**
 * The model page over HTTP, signed out, after real calls: both providers with their
 * measured latency, and the provider the page calls fastest is the one the router picks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { createDb } from "@/lib/db/client";
import { ConsoleClient } from "@/tests/support/console-client";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

const call = (gw: GatewayFixture, model: string) =>
  fetch(`${gw.url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "Hi" }] }),
  });

/** The text of the <dd> that follows a <dt> in the page's HTML. */
function definition(html: string, term: string): string | null {
  const match = new RegExp(`<dt[^>]*>${term}</dt><dd[^>]*>([^<]*)</dd>`).exec(html);
  return match ? match[1] : null;
}

describe("model pages", () => {
  let gw: GatewayFixture;
  beforeAll(async () => {
    gw = await startGatewayFixture({ HEALTH_PROBE_CHECK_MS: "200" });
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

  it("run health probes only when an admin turns them on, and show them on the model page", async () => {
    const admin = new ConsoleClient(gw.url);
    expect(await admin.signIn("dev@example.com", "long enough password")).toBeNull();
    expect(await (await admin.fetch("/api/console/admin/health-probes")).json()).toEqual({ data: { enabled: false, intervalMinutes: 10 } });
    const before = gw.fake.stats().total;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(gw.fake.stats().total).toBe(before);

    const db = createDb(gw.dbTarget);
    await createUser(db, { email: "probe-member@example.com", password: "long enough password" });
    await db.$disconnect();
    const member = new ConsoleClient(gw.url);
    expect(await member.signIn("probe-member@example.com", "long enough password")).toBeNull();
    expect((await member.fetch("/api/console/admin/health-probes", { method: "PUT", json: { enabled: true, intervalMinutes: 1 } })).status).toBe(403);
    const bad = await admin.fetch("/api/console/admin/health-probes", { method: "PUT", json: { enabled: true, intervalMinutes: 0 } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields).toEqual({ intervalMinutes: "Probe at most once a minute" });

    expect((await admin.fetch("/api/console/admin/health-probes", { method: "PUT", json: { enabled: true, intervalMinutes: 60 } })).status).toBe(200);
    // test/priced had no traffic: its providers are measured by probes alone.
    let html = "";
    for (let i = 0; i < 50 && !/in 24 h, \d+ probes?/.test(html); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      // React separates adjacent text with <!-- -->.
      html = (await (await fetch(`${gw.url}/models/test/priced`)).text()).replaceAll("<!-- -->", "");
    }
    expect(html).toMatch(/1 call in 24 h, 1 probe</);
    expect(html).toContain("and health probes");
    expect(gw.fake.stats().total).toBeGreaterThan(before);
    await admin.fetch("/api/console/admin/health-probes", { method: "PUT", json: { enabled: false, intervalMinutes: 60 } });
  });
});
