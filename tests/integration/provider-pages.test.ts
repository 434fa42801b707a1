/**
 * The provider pages over HTTP, signed out: every catalog provider listed; after real
 * calls a provider's page shows its models, measured latency and availability; a
 * provider no one called says "no data yet"; an unknown slug is a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

const call = (gw: GatewayFixture, model: string) =>
  fetch(`${gw.url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "Hi" }] }),
  });

/** The cells' text of the table row whose header cell is `label` (tags stripped). */
function rowCells(html: string, label: string): string[] {
  const row = new RegExp(`<tr[^>]*><th[^>]*>${label}</th>([\\s\\S]*?)</tr>`).exec(html);
  if (!row) return [];
  return [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) =>
    m[1]
      .replace(/<[^>]+>/g, " ")
      .replace(/<!-- -->/g, "")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

/** The provider card's text on /providers (tags stripped). */
function card(html: string, slug: string): string {
  const match = new RegExp(`<li[^>]*>(?:(?!</li>)[\\s\\S])*?href="/providers/${slug}"[\\s\\S]*?</li>`).exec(html);
  return match
    ? match[0]
        .replace(/<!-- -->/g, "")
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
    : "";
}

const TOKENS_SUMMARY = /<p class="sr-only">Tokens per day, last 30 days, per day from [^<]*\. Input: \d+; Output: \d+\.<\/p>/;

describe("provider pages", () => {
  let gw: GatewayFixture;
  beforeAll(async () => {
    gw = await startGatewayFixture();
  });
  afterAll(async () => gw?.stop());

  it("list every provider signed out, and 404 for an unknown one", async () => {
    const response = await fetch(`${gw.url}/providers`, { redirect: "manual" });
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const slug of ["fast", "slow", "claude-native", "down", "nokey"]) expect(html).toContain(`href="/providers/${slug}"`);
    expect(card(html, "claude-native")).toContain("Anthropic Messages");
    expect(card(html, "fast")).toContain("OpenAI Chat Completions");
    expect(card(html, "cheap")).toContain("no data yet");
    expect((await fetch(`${gw.url}/providers/no-such-provider`)).status).toBe(404);
  });

  it("show a provider's models, measured latency and availability after calls; an unused one says no data yet", async () => {
    for (let i = 0; i < 4; i++) {
      expect((await call(gw, "test/chat:fast")).status).toBe(200);
      expect((await call(gw, "other/chat")).status).toBe(200);
    }
    const response = await fetch(`${gw.url}/providers/fast`, { redirect: "manual" });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<title>Fake fast · Switchyard</title>");
    for (const model of ["test/chat", "other/chat", "test/flat", "test/any"]) expect(html).toContain(`href="/models/${model}"`);
    expect(html).toContain("upstream-fast");
    expect(html).toContain("$1.00/M tokens");
    expect(html).toContain("$0.01/request");
    // Eight calls in the last five minutes, all of them served: availability and TTFT measured.
    const [requests, availability, ttftP50, ttftP90] = rowCells(html, "Last 5 minutes");
    expect(requests).toBe("8");
    expect(availability).toBe("100%");
    expect(ttftP50).toMatch(/^\d[\d,]* ms$/);
    expect(ttftP90).toMatch(/^\d[\d,]* ms$/);
    expect(rowCells(html, "Last 24 hours")[0]).toBe("8");
    // The chart's text summary (the empty state's text is in the page's data either way).
    expect(html).toMatch(/<p class="sr-only">Requests per hour, last 24 hours, per hour from [^<]*\. Succeeded: 8\.<\/p>/);

    const list = await (await fetch(`${gw.url}/providers`)).text();
    expect(card(list, "fast")).toMatch(/Availability 1 h \/ 24 h 100% \/ 100%/);
    expect(card(list, "fast")).toMatch(/TTFT p50 \(24 h\) \d[\d,]* ms/);

    const unused = await (await fetch(`${gw.url}/providers/cheap`)).text();
    expect(rowCells(unused, "Last 5 minutes")).toEqual(["no data yet", "no data yet", "no data yet", "no data yet", "no data yet"]);
    expect(unused).toContain("No data yet: no calls in the last 24 hours.");
    expect(unused).toContain("No data yet: no tokens in the last 30 days.");
    expect(unused).toContain(`href="/models/test/priced"`);
  });

  it("chart the provider's tokens per day from the usage rollups", async () => {
    // The rollups are written in batches (every 200 ms): poll until the calls above are in.
    let html = "";
    for (let attempt = 0; attempt < 50; attempt++) {
      html = await (await fetch(`${gw.url}/providers/fast`)).text();
      if (TOKENS_SUMMARY.test(html)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(html).toMatch(TOKENS_SUMMARY);
  });
});
