/**
 * Demo mode's first run in the browser: a second server, started here with
 * `node scripts/serve.mjs --demo` on a fresh data folder (playwright.config.ts's server
 * runs the e2e catalog, not the demo), then sign-up → the demo banner → an answer streamed
 * in the playground → a call with a key (through the API) → both calls in Activity with
 * their provider and cost.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { startSwitchyard, type SwitchyardProcess } from "../tests/support/switchyard-process";
import { PASSWORD } from "./support/session";

let dir: string;
let server: SwitchyardProcess;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-e2e-demo-"));
  server = await startSwitchyard({ DATA_DIR: dir, DATABASE_URL: "", CATALOG_FILE: "", AUTH_SECRET: "", TRIAL_CREDIT_USD: "" }, 120_000, [], ["--demo"]);
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function demoPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: server.url });
  return context.newPage();
}

test("demo first run: sign up, see demo mode, a playground answer streamed, a call with a key, both in Activity with their provider and cost", async ({
  browser,
}) => {
  const page = await demoPage(browser);
  await page.goto("/");
  await expect(page.getByTestId("demo-banner")).toContainText("Demo mode.");

  await page.goto("/signup");
  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("demo-banner")).toBeVisible();

  // The playground answers on the demo catalog with nothing configured but the demo.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Playground" }).click();
  await page.getByLabel("Model", { exact: true }).selectOption("demo/chat");
  await page.getByLabel("Message", { exact: true }).fill("Hello from the playground");
  await page.getByRole("button", { name: "Send" }).click();
  const log = page.getByRole("log", { name: "Conversation messages" });
  await expect(log).toContainText("lorem ipsum", { timeout: 20_000 });
  const stats = log.getByTestId("answer-stats").first();
  await expect(stats).toHaveText(/Served by demo-[\w-]+ · TTFT \d[\d,]* ms · \d+ in \/ \d+ out tokens · \$\d/);
  const playgroundProvider = /Served by (demo-[\w-]+)/.exec((await stats.textContent()) ?? "")![1];

  const origin = new URL(page.url()).origin;
  const created = await page.request.post("/api/console/keys", { data: { name: "demo key" }, headers: { origin } });
  expect(created.status()).toBe(201);
  const key = (await created.json()).key as string;
  const response = await page.request.post("/api/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model: "demo/chat", messages: [{ role: "user", content: "Hello, demo" }] },
  });
  expect(response.status()).toBe(200);
  const id = response.headers()["x-request-id"];
  const provider = response.headers()["x-switchyard-provider"];
  const cost = (await response.json()).usage.cost as number;
  expect(provider).toMatch(/^demo-/);
  expect(cost).toBeGreaterThan(0);

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Activity" }).click();
  const table = page.getByRole("table", { name: "Activity" });
  const row = table.getByRole("row").filter({ has: page.getByRole("button", { name: `Details of ${id}` }) });
  await expect(row).toContainText(provider);
  // Rounded for reading; the exact cost on hover.
  await expect(row.getByRole("button", { name: "Cost" }).locator("[data-exact]")).toHaveAttribute("title", `$${cost}`);
  // The playground's call is there too, under its short-lived key.
  const playgroundRow = table.getByRole("row").filter({ hasText: /Playground/ });
  await expect(playgroundRow).toHaveCount(1);
  await expect(playgroundRow).toContainText(playgroundProvider);
  await expect(page.getByTestId("demo-banner")).toBeVisible();
});
