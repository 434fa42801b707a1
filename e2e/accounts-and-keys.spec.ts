import { expect, test } from "@playwright/test";
import { PASSWORD, signUp } from "./support/session";

test.describe.configure({ mode: "serial" });

test("the first account is the admin and manages an API key from creation to revocation", async ({ page }) => {
  await signUp(page, "owner@example.com");
  const nav = page.getByRole("navigation", { name: "Console" });
  await expect(nav.getByRole("link", { name: "Admin" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Getting started" })).toBeVisible();

  await nav.getByRole("link", { name: "API Keys" }).click();
  await expect(page.getByRole("heading", { name: "Create your first API key" })).toBeVisible();
  await page.getByRole("button", { name: "Create key" }).click();

  const form = page.getByRole("dialog", { name: "Create an API key" });
  await form.getByLabel("Name").fill("production backend");
  await form.getByLabel("Requests per minute").fill("-1");
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByText("Enter a whole number of requests per minute of at least 1")).toBeVisible();

  await form.getByLabel("Allowed models").fill("openai/gpt-4o-mini, anthropic/claude-sonnet-4.5");
  await form.getByLabel("Daily spend limit").fill("5");
  await form.getByLabel("Requests per minute").fill("60");
  const nextYear = `${new Date().getFullYear() + 1}-06-30`;
  await form.getByLabel("Expires on").fill(nextYear);
  await form.getByRole("button", { name: "Create key" }).click();

  const shown = page.getByRole("dialog", { name: "Your new API key" });
  const key = (await shown.getByLabel("Full API key").textContent())!.trim();
  expect(key).toMatch(/^sk-sy-v1-[0-9A-Za-z]{38}$/);
  await shown.getByRole("button", { name: "Copy key" }).click();
  await expect(shown.getByRole("button", { name: "Copy key" })).toHaveText(/Copied/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  // Closing asks for confirmation first: Esc only reminds, Done needs the box ticked.
  await page.keyboard.press("Escape");
  await expect(shown.getByRole("alert")).toHaveText(/will not be shown again/);
  await expect(shown.getByRole("button", { name: "Done" })).toBeDisabled();
  await shown.getByLabel("I have stored this key somewhere safe").check();
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toBeHidden();

  const row = page.getByRole("row", { name: /production backend/ });
  await expect(row).toContainText(key.slice(0, 13));
  await expect(row).not.toContainText(key);
  await expect(row).toContainText("active");
  await expect(row).toContainText("2 models · $5.00/day · 60 req/min");

  const call = () => page.request.get("/api/v1/generation?id=gen_missing", { headers: { authorization: `Bearer ${key}` } });
  expect((await call()).status()).toBe(404);

  await row.getByRole("button", { name: "Revoke production backend" }).click();
  await page
    .getByRole("dialog", { name: /Revoke/ })
    .getByRole("button", { name: "Revoke key" })
    .click();
  await expect(row).toContainText("revoked");
  const refused = await call();
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error).toMatchObject({ type: "invalid_api_key", message: "This API key has been revoked" });
});

test("a second account is a member: it sees none of the first account's keys and no admin pages", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, "member@example.com");
  const nav = page.getByRole("navigation", { name: "Console" });
  await expect(nav.getByRole("link", { name: "API Keys" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);

  await nav.getByRole("link", { name: "API Keys" }).click();
  await expect(page.getByRole("heading", { name: "Create your first API key" })).toBeVisible();
  await expect(page.getByText("production backend")).toHaveCount(0);
  const api = await page.request.get("/api/console/keys");
  expect((await api.json()).data).toEqual([]);

  const admin = await page.goto("/admin");
  expect(admin?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await context.close();
});

test("an account sets its default fallback model on the Settings page", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("member@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Settings" }).click();
  const field = page.getByLabel("Default fallback model");
  await field.fill("no/such-model");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Unknown model: no/such-model")).toBeVisible();
  await field.fill("openai/gpt-4o-mini");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved: openai/gpt-4o-mini");
  await page.reload();
  await expect(page.getByLabel("Default fallback model")).toHaveValue("openai/gpt-4o-mini");
});

test("signing out ends the session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("owner@example.com");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password.");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/login/);
});
