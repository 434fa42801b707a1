import { expect, test } from "@playwright/test";

test("signed out, /providers lists the providers and a provider's page lists its models with their prices", async ({ page }) => {
  await page.goto("/providers");
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Providers", level: 1 })).toBeVisible();
  const cards = page.getByRole("list", { name: "Providers" }).getByRole("listitem");
  const fast = cards.filter({ has: page.getByRole("link", { name: "Fake e2e-fast", exact: true }) });
  await expect(fast).toHaveCount(1);
  await expect(fast).toContainText("e2e-fast");
  await expect(fast).toContainText("OpenAI Chat Completions");
  await expect(cards.filter({ hasText: "Anthropic" }).first()).toContainText("Anthropic Messages");

  await fast.getByRole("link", { name: "Fake e2e-fast", exact: true }).click();
  await expect(page).toHaveURL(/\/providers\/e2e-fast$/);
  await expect(page.getByRole("heading", { name: "Fake e2e-fast", level: 1 })).toBeVisible();
  const models = page
    .getByRole("table", { name: "Models" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
  await expect(models).toHaveCount(1);
  const chat = models.first();
  await expect(chat.getByRole("link", { name: "E2E: Chat" })).toHaveAttribute("href", "/models/e2e/chat");
  await expect(chat).toContainText("fake-model");
  await expect(chat).toContainText("Input: $2.00/M tokens");
  await expect(chat).toContainText("Output: $4.00/M tokens");
  await expect(page.getByRole("figure", { name: "Requests per hour, last 24 hours" })).toBeVisible();
  await expect(page.getByRole("figure", { name: "Tokens per day, last 30 days" })).toBeVisible();

  await chat.getByRole("link", { name: "E2E: Chat" }).click();
  await expect(page).toHaveURL(/\/models\/e2e\/chat$/);
});
