/**
 * Every page at 390, 768, 1280 and 1920 px, light and dark: no sideways page scroll and
 * no element wider than the viewport (outside a box that scrolls itself), with a full-page
 * screenshot of each in test-results/responsive/ to look at. Also the narrow-screen
 * behaviours: tables as cards, the public header's menu, and the activity columns at 1280.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { findHorizontalOverflow } from "./support/overflow";
import { ensureAccounts, signIn } from "./support/session";

const WIDTHS = [390, 768, 1280, 1920] as const;
const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];
const ADMIN = "owner@example.com";
const SHOTS = "test-results/responsive";
/** With README_SCREENSHOTS=1 these pages are also saved to docs/ at 1280 px, light, for the README. */
const README_SHOTS = new Set(["dashboard", "model-page", "activity-detail"]);

type Fixture = { activityId: string; modelEditPath: string };

/** Pages by name; a function when the path needs the fixture's data. */
const PUBLIC_PAGES: [string, string][] = [
  ["landing", "/"],
  ["models", "/models"],
  ["model-page", "/models/e2e/chat"],
  ["providers", "/providers"],
  ["provider-page", "/providers/e2e-fast"],
  ["docs", "/docs"],
  ["login", "/login"],
  ["signup", "/signup"],
];
const CONSOLE_PAGES: [string, (fixture: Fixture) => string][] = [
  ["dashboard", () => "/dashboard"],
  ["keys", () => "/keys"],
  ["activity", () => "/activity"],
  ["activity-detail", (fixture) => `/activity?id=${fixture.activityId}`],
  ["usage", () => "/usage"],
  ["billing", () => "/billing"],
  ["settings", () => "/settings"],
  ["playground", () => "/playground"],
  ["admin", () => "/admin"],
  ["admin-models", () => "/admin/models"],
  ["admin-model-new", () => "/admin/models/new"],
  ["admin-model-edit", (fixture) => fixture.modelEditPath],
  ["admin-providers", () => "/admin/providers"],
  ["admin-users", () => "/admin/users"],
  ["admin-rate-limits", () => "/admin/rate-limits"],
  ["admin-audit", () => "/admin/audit"],
];

let fixture: Fixture;
let adminState: Awaited<ReturnType<BrowserContext["storageState"]>>;

async function newContext(browser: Browser, theme: Theme, signedIn: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ colorScheme: theme, storageState: signedIn ? adminState : undefined });
  // next-themes reads its choice from localStorage before the first paint.
  await context.addInitScript((chosen) => window.localStorage.setItem("theme", chosen), theme);
  return context;
}

/** Waits for the page's client data (TanStack queries, charts) to settle. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

async function checkPage(page: Page, name: string, path: string, theme: Theme): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(path);
    await settle(page);
    await page.screenshot({ path: `${SHOTS}/${theme}/${name}-${width}.png`, fullPage: true });
    if (process.env.README_SCREENSHOTS && theme === "light" && width === 1280 && README_SHOTS.has(name)) {
      // The call's details scrolled to its attempt timeline, the part worth showing.
      if (name === "activity-detail") await page.getByRole("list", { name: "Attempts" }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `docs/screenshot-${name}.png` });
    }
    const overflow = await findHorizontalOverflow(page);
    expect.soft(overflow.offenders, `${path} at ${width} px (${theme}): elements wider than the viewport`).toEqual([]);
    expect.soft(overflow.documentWidth, `${path} at ${width} px (${theme}): the page scrolls sideways`).toBeLessThanOrEqual(overflow.viewportWidth);
  }
}

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  await ensureAccounts(context.request, [ADMIN]);
  const page = await context.newPage();
  await signIn(page, ADMIN);
  const origin = new URL(page.url()).origin;
  const created = await page.request.post("/api/console/keys", { data: { name: "responsive screenshots" }, headers: { origin } });
  expect(created.status()).toBe(201);
  const { key } = await created.json();
  // A failover, a pinned call and a stream, so the activity, usage and dashboard pages have rows and charts.
  const bodies = [
    { model: "e2e/chat", provider: { routing: { type: "order", providers: ["e2e-broken", "e2e-fast"] } } },
    { model: "e2e/chat:e2e-steady" },
    { model: "e2e/chat:e2e-fast", stream: true, stream_options: { include_usage: true } },
  ];
  const ids: string[] = [];
  for (const body of bodies) {
    const response = await page.request.post("/api/v1/chat/completions", {
      headers: { authorization: `Bearer ${key}` },
      data: { messages: [{ role: "user", content: "Hello" }], ...body },
    });
    expect(response.status()).toBe(200);
    await response.body();
    ids.push(response.headers()["x-request-id"]);
  }
  await page.goto("/admin/models");
  const edit = page.getByRole("link", { name: /^Edit / }).first();
  fixture = { activityId: ids[0], modelEditPath: (await edit.getAttribute("href"))! };
  // The calls are written in batches; wait until the first shows up.
  await expect.poll(async () => (await page.request.get(`/api/console/activity/${ids[0]}`)).status()).toBe(200);
  adminState = await context.storageState();
  await context.close();
});

for (const theme of THEMES) {
  for (const [name, path] of PUBLIC_PAGES) {
    test(`${name} (${path}) fits every width, ${theme}`, async ({ browser }) => {
      const context = await newContext(browser, theme, false);
      await checkPage(await context.newPage(), name, path, theme);
      await context.close();
    });
  }
  for (const [name, path] of CONSOLE_PAGES) {
    test(`console: ${name} fits every width, ${theme}`, async ({ browser }) => {
      const context = await newContext(browser, theme, true);
      await checkPage(await context.newPage(), name, path(fixture), theme);
      await context.close();
    });
  }
}

test("activity at 1280 px shows status, finish reason, key and the Details link without scrolling sideways; the column choice is kept", async ({ browser }) => {
  const context = await newContext(browser, "light", true);
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/activity");
  const table = page.getByRole("table", { name: "Activity" });
  for (const header of ["Status", "Finish", "API key", "Details"]) {
    const box = await table.getByRole("columnheader", { name: header }).boundingBox();
    expect(box, header).not.toBeNull();
    expect(box!.x + box!.width, `${header} column within the viewport`).toBeLessThanOrEqual(1280);
  }
  const frame = page.locator(".data-table").filter({ has: table });
  // On failure, say which columns took the room.
  const widths = await table.evaluate((element) =>
    [...element.querySelectorAll("th")].map((th) => `${th.textContent}: ${Math.round(th.getBoundingClientRect().width)}`).join(", "),
  );
  expect(
    await frame.evaluate((element) => element.scrollWidth - element.clientWidth),
    `the table scrolls sideways; column widths ${widths}`,
  ).toBeLessThanOrEqual(0);

  await page.getByRole("button", { name: "Columns" }).click();
  const chooser = page.getByRole("dialog", { name: "Columns" });
  await chooser.getByLabel("TTFT").check();
  await chooser.getByLabel("Finish").uncheck();
  await page.keyboard.press("Escape");
  await expect(table.getByRole("columnheader", { name: "TTFT" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Finish" })).toHaveCount(0);
  await page.reload();
  await expect(table.getByRole("columnheader", { name: "TTFT" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Finish" })).toHaveCount(0);
  await page.getByRole("button", { name: "Columns" }).click();
  await page.getByRole("dialog", { name: "Columns" }).getByRole("button", { name: "Reset to defaults" }).click();
  await expect(table.getByRole("columnheader", { name: "Finish" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "TTFT" })).toHaveCount(0);
  await context.close();
});

test("below 640 px a table is a stack of cards, each value labelled with its column", async ({ browser }) => {
  const context = await newContext(browser, "light", true);
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 900 });
  await page.goto("/keys");
  const table = page.getByRole("table", { name: "Your API keys" });
  const firstRow = table.locator("tbody > tr").first();
  await expect(firstRow).toHaveCSS("display", "block");
  const cells = firstRow.locator("td");
  // Each cell shows its column's header before its value, and the header row is for screen readers only.
  expect(await cells.first().evaluate((cell) => getComputedStyle(cell, "::before").content)).toBe('"Name"');
  expect(await cells.nth(2).evaluate((cell) => getComputedStyle(cell, "::before").content)).toBe('"Status"');
  await expect(table.locator("thead")).toHaveCSS("position", "absolute");
  await page.setViewportSize({ width: 1280, height: 900 });
  await expect(firstRow).toHaveCSS("display", "table-row");
  // On a wide screen the header row labels the columns; the cells carry no label of their own.
  expect(await cells.first().evaluate((cell) => getComputedStyle(cell, "::before").content)).toBe("none");
  await context.close();
});

test("on a phone the public header is a menu: it opens, closes on Escape and on navigation", async ({ browser }) => {
  const context = await newContext(browser, "light", false);
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto("/");
  const header = page.getByRole("navigation", { name: "Main" });
  const menu = header.getByRole("button", { name: "Menu" });
  await expect(header.getByRole("link", { name: "Models" })).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();
  await menu.click();
  await header.getByRole("link", { name: "Providers" }).click();
  await expect(page).toHaveURL(/\/providers$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(header.getByRole("link", { name: "Models" })).toBeHidden();
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(menu).toBeHidden();
  await expect(header.getByRole("link", { name: "Models" })).toBeVisible();
  await context.close();
});

test("the activity detail shows a skeleton while it loads, then the call", async ({ browser }) => {
  const context = await newContext(browser, "light", true);
  const page = await context.newPage();
  // Hold the detail's answer until the skeleton has been seen.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**/api/console/activity/${fixture.activityId}`, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/activity?id=${fixture.activityId}`);
  const detail = page.getByRole("dialog", { name: "Call details" });
  await expect(detail.getByRole("status", { name: "Loading call details" })).toBeVisible();
  release();
  await expect(detail.getByRole("list", { name: "Attempts" })).toBeVisible();
  await expect(detail.getByRole("status", { name: "Loading call details" })).toHaveCount(0);
  await context.close();
});

test("Rate limits is in the admin sidebar", async ({ browser }) => {
  const context = await newContext(browser, "light", true);
  const page = await context.newPage();
  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Rate limits" }).click();
  await expect(page).toHaveURL(/\/admin\/rate-limits$/);
  await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Rate limits" })).toHaveAttribute("aria-current", "page");
  await context.close();
});
