import { expect, test, type Page } from "@playwright/test";
import { ensureAccounts, signIn } from "./support/session";

/**
 * Honest status and pages that agree: a provider without a credential reads "not
 * configured" (never "enabled" or "healthy") on the public pages and in the admin, and
 * its endpoint is unavailable; money shows cents or four significant digits with the
 * exact amount on hover; a billing charge names its model and links its call.
 */
test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  await ensureAccounts(request, ["owner@example.com", "member@example.com"]);
});

test("a provider without a credential is 'not configured' on /providers, its page, the model page and Admin → Providers", async ({ page }) => {
  await page.goto("/providers");
  const cards = page.getByRole("list", { name: "Providers" }).getByRole("listitem");
  const keyless = cards.filter({ has: page.getByRole("link", { name: "Fake e2e-keyless", exact: true }) });
  await expect(keyless).toContainText("not configured");
  await expect(keyless).not.toContainText(/\benabled\b/);
  await expect(cards.filter({ has: page.getByRole("link", { name: "Fake e2e-fast", exact: true }) })).toContainText("enabled");

  await keyless.getByRole("link", { name: "Fake e2e-keyless", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Fake e2e-keyless", level: 1 })).toBeVisible();
  await expect(page.getByRole("note")).toContainText("no credential");
  const row = page
    .getByRole("table", { name: "Models" })
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: "E2E: Chat" }) });
  await expect(row).toContainText("unavailable: not configured");

  await page.goto("/models/e2e/chat");
  const providers = page.getByRole("table", { name: "Providers" });
  const keylessRow = providers.getByRole("row").filter({ hasText: "Fake e2e-keyless" });
  await expect(keylessRow).toContainText("not configured");
  await expect(keylessRow).not.toContainText("healthy");
  // Name and slug read as two things.
  await expect(keylessRow.getByRole("cell").first()).toContainText(/Fake e2e-keyless\s*e2e-keyless/);
  expect(
    await keylessRow
      .getByRole("link", { name: "Fake e2e-keyless" })
      .evaluate((link) => link.nextElementSibling && getComputedStyle(link.nextElementSibling).display),
  ).toBe("block");

  await signIn(page, "owner@example.com");
  await page.goto("/admin/providers");
  const adminRow = (slug: string) => page.getByRole("row").filter({ hasText: slug });
  await expect(adminRow("e2e-keyless")).toContainText("Not configured");
  await expect(adminRow("e2e-fast").first()).toContainText("Enabled");
});

async function newKey(page: Page): Promise<string> {
  const created = await page.request.post("/api/console/keys", { data: { name: `honest ${Date.now()}` }, headers: { origin: new URL(page.url()).origin } });
  expect(created.ok()).toBe(true);
  return (await created.json()).key;
}

test("money shows cents or 4 significant digits with the exact amount on hover; a billing charge names its model and links its call", async ({ page }) => {
  await signIn(page, "member@example.com");
  const key = await newKey(page);
  const response = await page.request.post("/api/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model: "e2e/chat:e2e-fast", messages: [{ role: "user", content: "Hello there" }] },
  });
  expect(response.status()).toBe(200);
  const id = response.headers()["x-request-id"];
  const cost: number = (await response.json()).usage.cost;
  expect(cost).toBeGreaterThan(0);
  expect(cost).toBeLessThan(0.01);

  await page.goto("/billing");
  const charge = page.getByRole("table", { name: "Transactions" }).getByRole("row").filter({ hasText: id });
  await expect(charge).toContainText("API call");
  await expect(charge).toContainText("e2e/chat");
  const amount = charge.locator("[data-exact]");
  // Below a cent: at most four significant digits shown, the exact charge in the hover title.
  await expect(amount).toHaveText(/^−\$0\.00\d+$/);
  const significant = ((await amount.textContent()) ?? "").replace("−$0.", "").replace(/^0+/, "");
  expect(significant.length).toBeGreaterThan(0);
  expect(significant.length).toBeLessThanOrEqual(4);
  const exact = await amount.getAttribute("title");
  // A debit: the exact title is the signed charge, "-$0.000062…".
  expect(Number(exact!.replace("$", ""))).toBeCloseTo(-cost, 9);
  await amount.hover();
  expect(await amount.evaluate((element) => element.getAttribute("title"))).toBe(exact);

  const balance = page.getByRole("definition").first().locator("[data-exact]");
  await expect(balance).toHaveText(/^\$\d+\.\d{2}$/);

  await charge.getByRole("link", { name: new RegExp(`Call ${id}`) }).click();
  await expect(page).toHaveURL(new RegExp(`/activity\\?q=${id}&id=${id}$`));
  await expect(page.getByRole("dialog", { name: "Call details" })).toContainText(id);
});
