import { expect, test, type Locator, type Page } from "@playwright/test";
import { signUp } from "./support/session";

/** "Served by e2e-fast · TTFT 12 ms · 25 in / 64 out tokens · $0.000…" */
const statsLine = (provider: string) => new RegExp(`Served by ${provider} · TTFT \\d[\\d,]* ms · \\d+ in / \\d+ out tokens · \\$\\d`);

async function pick(scope: Locator | Page, settings: { model?: string; provider?: string; routing?: string }) {
  if (settings.model !== undefined) await scope.getByLabel("Model", { exact: true }).selectOption(settings.model);
  if (settings.provider !== undefined) await scope.getByLabel("Provider", { exact: true }).selectOption(settings.provider);
  if (settings.routing !== undefined) await scope.getByLabel("Routing", { exact: true }).selectOption(settings.routing);
}

async function send(page: Page, text: string) {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

test("the playground streams answers with their provider, TTFT, tokens and cost, compares two models, and its calls are in Activity", async ({ page }) => {
  await signUp(page, "player@example.com");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Playground" }).click();
  await expect(page).toHaveURL(/\/playground$/);
  await expect(page.getByRole("heading", { level: 1, name: "Playground" })).toBeVisible();

  // Bad input never leaves the page.
  await send(page, "Hello");
  await expect(page.getByRole("alert").filter({ hasText: "Pick a model first." })).toBeVisible();
  await pick(page, { model: "e2e/chat", provider: "e2e-fast" });
  await page.getByLabel("Message", { exact: true }).fill("   ");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Type a message to send." })).toBeVisible();

  const log = page.getByRole("log", { name: "Conversation messages" });
  await page.getByLabel("System prompt").fill("Answer briefly.");
  await send(page, "Hello there");
  await expect(log.getByText("Hello there")).toBeVisible();
  await expect(log).toContainText("lorem ipsum");
  const stats = log.getByTestId("answer-stats");
  await expect(stats.first()).toHaveText(statsLine("e2e-fast"));
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled();

  // Second turn, routed by price: the cheapest (failing) provider is tried, and the answer says who served it.
  await pick(page, { provider: "", routing: "price" });
  await send(page, "And a second question");
  await expect(stats).toHaveCount(2);
  await expect(stats.nth(1)).toHaveText(statsLine("e2e-fast"));
  await expect(log.getByText("And a second question")).toBeVisible();

  // The first answer's call in Activity, with its provider, cost and the playground key's name.
  const firstHref = await stats.first().getByRole("link", { name: "In Activity" }).getAttribute("href");
  const firstId = decodeURIComponent(firstHref!.split("q=")[1]);

  // Stop aborts a slow answer (600 ms to its first token).
  await pick(page, { provider: "e2e-steady" });
  await send(page, "Something slow");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(log).toContainText("(stopped)");

  // Side by side: one prompt, two columns answering at once with their own stats.
  await page.getByRole("button", { name: "Compare" }).click();
  const columnA = page.getByRole("region", { name: "Model A" });
  const columnB = page.getByRole("region", { name: "Model B" });
  await pick(columnA, { model: "e2e/chat", provider: "e2e-fast" });
  await pick(columnB, { model: "e2e/chat", provider: "e2e-steady" });
  await send(page, "Compare this");
  await expect(columnA.getByTestId("answer-stats")).toHaveText(statsLine("e2e-fast"));
  await expect(columnB.getByTestId("answer-stats")).toHaveText(statsLine("e2e-steady"));
  await expect(columnA.getByRole("log")).toContainText("lorem");
  await expect(columnB.getByRole("log")).toContainText("lorem");

  await page.goto(`/activity?q=${encodeURIComponent(firstId)}`);
  const table = page.getByRole("table", { name: "Activity" });
  const row = table.getByRole("row").filter({ has: page.getByRole("button", { name: `Details of ${firstId}` }) });
  await expect(row).toContainText("e2e-fast");
  await expect(row).toContainText(/Playground \(expires \d\d:\d\d UTC\)/);
  await expect(row.getByRole("button", { name: "Cost" })).toHaveText(/^\$0\.\d+/);

  // The playground's key is the console's, not the user's: it is not on the Keys page.
  await page.goto("/keys");
  await expect(page.getByText(/Playground \(expires/)).toHaveCount(0);

  // After sign-out the playground route refuses a copy of the old session cookie.
  const origin = new URL(page.url()).origin;
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  const after = await page.request.post("/api/console/playground/chat", {
    headers: { origin, cookie },
    data: { model: "e2e/chat", messages: [{ role: "user", content: "Hi" }] },
  });
  expect(after.status()).toBe(401);
});

test("a gateway refusal is shown in the conversation", async ({ page }) => {
  await signUp(page, "refused@example.com");
  await page.goto("/playground");
  // Every provider of this order fails: the gateway's 502 is shown, not swallowed.
  await pick(page, { model: "e2e/chat", provider: "e2e-broken" });
  await send(page, "Hello");
  await expect(page.getByRole("log", { name: "Conversation messages" }).getByRole("alert")).toContainText(/\(50\d\)/);
});

test("at 390 px the compared columns stack without sideways scrolling; 1280 px puts them side by side, light and dark", async ({ page }) => {
  await signUp(page, "narrow@example.com");
  for (const [width, scheme] of [
    [390, "dark"],
    [1280, "light"],
    [1280, "dark"],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/playground");
    await page.getByRole("button", { name: "Compare" }).click();
    const columnA = page.getByRole("region", { name: "Model A" });
    const columnB = page.getByRole("region", { name: "Model B" });
    await pick(columnA, { model: "e2e/chat", provider: "e2e-fast" });
    await pick(columnB, { model: "e2e/chat", provider: "e2e-steady" });
    await send(page, "A prompt long enough to wrap on a phone, so that the bubbles have to wrap their text inside the column");
    await expect(columnB.getByTestId("answer-stats")).toHaveText(statsLine("e2e-steady"));
    const [a, b] = [(await columnA.boundingBox())!, (await columnB.boundingBox())!];
    if (width === 390) expect(b.y).toBeGreaterThanOrEqual(a.y + a.height);
    else expect(b.x).toBeGreaterThanOrEqual(a.x + a.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: test.info().outputPath(`playground-${width}-${scheme}.png`), fullPage: true });
  }
});
