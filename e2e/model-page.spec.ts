import { expect, test } from "@playwright/test";
import { signUp } from "./support/session";

test("a model page compares its providers from measured traffic, signed out", async ({ browser }) => {
  // Traffic first: an account makes calls pinned to each of two providers; e2e-steady holds each first token for 600 ms.
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, "carla@example.com");
  const created = await page.request.post("/api/console/keys", { data: { name: "carla" }, headers: { origin: new URL(page.url()).origin } });
  const { key } = await created.json();
  for (let i = 0; i < 4; i++) {
    for (const provider of ["e2e-fast", "e2e-steady"]) {
      const response = await page.request.post("/api/v1/chat/completions", {
        headers: { authorization: `Bearer ${key}` },
        data: { model: `e2e/chat:${provider}`, messages: [{ role: "user", content: "Hi" }] },
      });
      expect(response.status()).toBe(200);
    }
  }
  await context.close();

  const visitor = await browser.newPage();
  await visitor.goto("/models/e2e/chat");
  await expect(visitor.getByRole("heading", { level: 1, name: "E2E: Chat" })).toBeVisible();
  const table = visitor.getByRole("table", { name: "Providers" });
  const row = (provider: string) => table.getByRole("row").filter({ hasText: `Fake ${provider}` });
  await expect(row("e2e-fast")).toContainText("Input: $2.00/M tokens");
  await expect(row("e2e-steady")).toContainText("Output: $6.00/M tokens");
  const ttft = async (provider: string) => Number(((await row(provider).getByRole("cell").nth(3).textContent()) ?? "").split(" ms")[0].replace(/,/g, ""));
  // The fake's 600 ms delay is a floor no machine load can lower; a busy box only slows e2e-fast toward it.
  const steady = await ttft("e2e-steady");
  expect(steady).toBeGreaterThanOrEqual(600);
  expect(steady).toBeGreaterThan(await ttft("e2e-fast"));
  await expect(row("e2e-steady")).toContainText("100% / 100% / 100%");
  await expect(visitor.getByRole("definition").filter({ hasText: /^e2e-fast$/ })).toBeVisible();
  const chart = visitor.getByRole("figure", { name: "Time to first token (p50)" });
  await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();
  expect(await chart.locator(".recharts-line").count()).toBeGreaterThanOrEqual(2);
  await expect(chart).toContainText("e2e-steady");
  await expect(visitor.getByRole("figure", { name: "curl — OpenAI Chat Completions" })).toContainText('"model": "e2e/chat"');
});
