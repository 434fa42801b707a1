import { expect, test } from "@playwright/test";

test("the landing page says what Switchyard is and leads to the models, sign-in and API docs", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Every model, every provider, behind one API key.");
  await expect(page.getByText("Self-hosted LLM API gateway")).toBeVisible();

  const main = page.getByRole("main");
  await expect(main.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
  await expect(main.getByRole("link", { name: /API docs/ })).toHaveAttribute("href", "/docs");

  await main.getByRole("link", { name: /Browse \d+ models/ }).click();
  await expect(page).toHaveURL(/\/models$/);
  await expect(page.getByRole("heading", { name: "Models" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Anthropic: Claude Sonnet 4\.5/ })).toBeVisible();
  expect(await page.getByRole("row").count()).toBeGreaterThan(25);
});

test("the API docs page shows base URLs for this host", async ({ page, baseURL }) => {
  await page.goto("/docs");
  await expect(page.getByRole("heading", { name: "API docs" })).toBeVisible();
  await expect(page.getByText(`${baseURL}/api/v1`).first()).toBeVisible();
  await expect(page.getByRole("table", { name: "Endpoints" }).getByRole("row").filter({ has: page.getByRole("cell", { name: "/api/v1/models", exact: true }) })).toContainText("GET");
});
