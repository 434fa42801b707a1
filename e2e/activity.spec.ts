import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { signUp } from "./support/session";

async function createKey(page: Page, name: string): Promise<string> {
  const origin = new URL(page.url()).origin;
  const response = await page.request.post("/api/console/keys", { data: { name }, headers: { origin } });
  expect(response.status()).toBe(201);
  return (await response.json()).key;
}

type Call = { id: string; cost: number; provider: string; tokens: number };

async function chat(request: APIRequestContext, key: string, body: Record<string, unknown>): Promise<Call> {
  const response = await request.post("/api/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { messages: [{ role: "user", content: "Hello" }], ...body },
  });
  expect(response.status()).toBe(200);
  const text = await response.text();
  // A streamed answer carries its cost in the final usage chunk.
  const usage = body.stream
    ? JSON.parse(
        text
          .split("\n")
          .filter((l) => l.includes('"usage":{'))
          .pop()!
          .slice("data: ".length),
      ).usage
    : JSON.parse(text).usage;
  return {
    id: response.headers()["x-request-id"],
    cost: usage.cost,
    provider: response.headers()["x-switchyard-provider"],
    tokens: usage.prompt_tokens + usage.completion_tokens,
  };
}

test.describe.configure({ mode: "serial" });

test("activity shows each call with its provider and cost, filters, finds by id, details a failover and exports CSV; usage totals match", async ({
  browser,
}) => {
  const anaContext = await browser.newContext();
  const ana = await anaContext.newPage();
  await signUp(ana, "ana@example.com");
  const firstKey = await createKey(ana, "ana first");
  const secondKey = await createKey(ana, "ana second");
  const failover = await chat(ana.request, firstKey, { model: "e2e/chat", provider: { routing: { type: "order", providers: ["e2e-broken", "e2e-fast"] } } });
  expect(failover.provider).toBe("e2e-fast");
  const pinned = await chat(ana.request, secondKey, { model: "e2e/chat:e2e-steady" });
  const streamed = await chat(ana.request, firstKey, { model: "e2e/chat:e2e-fast", stream: true, stream_options: { include_usage: true } });
  const calls = [failover, pinned, streamed];

  const benContext = await browser.newContext();
  const ben = await benContext.newPage();
  await signUp(ben, "ben@example.com");
  const bens = await chat(ben.request, await createKey(ben, "ben key"), { model: "e2e/chat:e2e-fast" });
  await benContext.close();

  await ana.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Activity" }).click();
  const table = ana.getByRole("table", { name: "Activity" });
  await expect(table.getByRole("row")).toHaveCount(1 + calls.length);
  for (const call of calls) {
    const row = table.getByRole("row").filter({ has: ana.getByRole("button", { name: `Details of ${call.id}` }) });
    await expect(row).toContainText(call.provider);
    // Rounded for reading (cents, or 4 significant digits below a cent); exact on hover.
    await expect(row.getByRole("button", { name: "Cost" }).locator("[data-exact]")).toHaveAttribute("title", `$${call.cost}`);
  }
  await expect(table).not.toContainText("ben@example.com");

  // Filters live in the URL.
  await ana.getByRole("combobox", { name: /^Provider/ }).selectOption("e2e-steady");
  await expect(ana).toHaveURL(/provider=e2e-steady/);
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table.getByRole("button", { name: `Details of ${pinned.id}` })).toBeVisible();
  await ana.getByRole("combobox", { name: /^Provider/ }).selectOption("");
  await ana.getByRole("combobox", { name: /^API key/ }).selectOption({ label: `ana first (${firstKey.slice(0, 13)}…)` });
  await expect(table.getByRole("row")).toHaveCount(3);
  await expect(table).not.toContainText("e2e-steady");

  // Another member's call is not found by its id.
  await ana.goto(`/activity?q=${bens.id}`);
  await expect(ana.getByText(`No call with the ID ${bens.id}`)).toBeVisible();

  await ana.goto(`/activity?q=${failover.id}`);
  await expect(table.getByRole("row")).toHaveCount(2);
  await table.getByRole("button", { name: `Details of ${failover.id}` }).click();
  const detail = ana.getByRole("dialog", { name: "Call details" });
  const attempts = detail.getByRole("list", { name: "Attempts" }).getByRole("listitem");
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(0)).toContainText("1. e2e-broken — error 503");
  await expect(attempts.nth(1)).toContainText("2. e2e-fast — served the answer");
  await detail.getByRole("button", { name: "Copy JSON" }).click();
  const copied = JSON.parse(await ana.evaluate(() => navigator.clipboard.readText()));
  expect(copied).toMatchObject({ generationId: failover.id, provider: "e2e-fast", usage: failover.cost });
  await detail.getByRole("button", { name: "Close" }).click();
  await expect(detail).toBeHidden();

  await ana.goto("/activity");
  const downloading = ana.waitForEvent("download");
  await ana.getByRole("link", { name: "Export CSV" }).click();
  const csv = readFileSync((await (await downloading).path())!, "utf8")
    .trim()
    .split("\n");
  expect(csv[0]).toMatch(/^generation_id,created_at,/);
  expect(csv).toHaveLength(1 + calls.length);
  for (const call of calls) expect(csv.some((line) => line.startsWith(`${call.id},`) && line.includes(`,${call.provider},`))).toBe(true);
  expect(csv.join("\n")).not.toContain(bens.id);

  // The usage page's totals (from the hourly rollups) match the calls made.
  await ana.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Usage" }).click();
  const card = (label: string) => ana.locator("dl > div", { has: ana.locator("dt", { hasText: new RegExp(`^${label}$`) }) });
  const nanoTotal = calls.reduce((sum, call) => sum + Math.round(call.cost * 1e9), 0);
  await expect(card("Requests").locator("dd").first()).toHaveText(String(calls.length));
  await expect(card("Total tokens")).toContainText(`${calls.reduce((sum, call) => sum + call.tokens, 0)} tokens`);
  await expect(card("Cost").locator("dd").first().locator("[data-exact]")).toHaveAttribute("title", `$${nanoTotal / 1e9}`);
  await expect(ana.getByRole("figure", { name: "Tokens by model" })).toBeVisible();
  await expect(ana.getByRole("figure", { name: "Cost by API key" })).toContainText("ana second");
  await ana.getByRole("tab", { name: "Providers" }).click();
  await expect(ana.getByRole("figure", { name: "Requests by provider" })).toContainText("e2e-steady");

  await anaContext.close();
});
