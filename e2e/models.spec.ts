import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";

// The server's catalog: the built-in one plus the e2e/chat model playwright.config.ts adds.
const builtin = JSON.parse(readFileSync(path.join(import.meta.dirname, "../catalog/builtin.json"), "utf8")) as { models: { id: string; enabled?: boolean }[] };
const MODEL_COUNT = builtin.models.filter((m) => m.enabled !== false).length + 1;
const XAI_COUNT = builtin.models.filter((m) => m.enabled !== false && m.id.startsWith("x-ai/")).length;

/** The table's model rows (the header row has column headers, not cells). */
const modelRows = (page: Page) =>
  page
    .getByRole("table", { name: "Models" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });

test("signed out, /models lists every model; search, vendor filter and sort narrow and reorder it, live in the URL and survive a reload", async ({ page }) => {
  await page.goto("/models");
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
  const rows = modelRows(page);
  await expect(rows).toHaveCount(MODEL_COUNT);
  await expect(rows.filter({ hasText: "E2E: Chat" })).toHaveCount(1);

  // Each row: slug with a copy button, context, prices, and an availability dot that never invents data.
  const haiku = rows.filter({ hasText: "Anthropic: Claude Haiku 4.5" });
  await expect(haiku.getByRole("link", { name: "Anthropic: Claude Haiku 4.5" })).toHaveAttribute("href", "/models/anthropic/claude-haiku-4.5");
  await expect(haiku).toContainText("anthropic/claude-haiku-4.5");
  await expect(haiku).toContainText("200K");
  await expect(haiku).toContainText("$1.00");
  await expect(haiku).toContainText("$5.00");
  await expect(haiku.getByRole("img", { name: "Availability: no data yet" })).toBeVisible();
  await haiku.getByRole("button", { name: "Copy slug anthropic/claude-haiku-4.5" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("anthropic/claude-haiku-4.5");

  // The search box filters as you type and writes q= into the URL.
  const search = page.getByRole("searchbox", { name: "Search models" });
  await search.pressSequentially("sonnet");
  await expect(page).toHaveURL(/[?&]q=sonnet(&|$)/);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("Anthropic: Claude Sonnet 4");
  await expect(rows.nth(1)).toContainText("Anthropic: Claude Sonnet 4.5");
  await search.fill("");
  await expect(page).not.toHaveURL(/q=/);
  await expect(rows).toHaveCount(MODEL_COUNT);

  // A vendor filter narrows the list.
  await page.getByLabel("Vendor").selectOption({ label: "xAI" });
  await expect(page).toHaveURL(/[?&]vendor=x-ai(&|$)/);
  await expect(rows).toHaveCount(XAI_COUNT);
  for (const text of await rows.allInnerTexts()) expect(text).toContain("xAI: ");
  await expect(rows.first()).toContainText("xAI: Grok 3");

  // Sorting by price puts the cheapest (by input, then output price) first.
  await page.getByLabel("Sort by").selectOption("price");
  await expect(page).toHaveURL(/[?&]sort=price(&|$)/);
  await expect(rows.first()).toContainText("xAI: Grok 4 Fast");

  // A reload shows the same list, with the controls as they were.
  await page.reload();
  await expect(page.getByLabel("Vendor")).toHaveValue("x-ai");
  await expect(page.getByLabel("Sort by")).toHaveValue("price");
  await expect(rows).toHaveCount(XAI_COUNT);
  await expect(rows.first()).toContainText("xAI: Grok 4 Fast");

  // Nothing matching: an empty state whose link clears the filters but keeps the sort.
  await search.pressSequentially("no such model");
  await expect(page.getByText("No model matches these filters.")).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/models\?sort=price$/);
  await expect(search).toHaveValue("");
  await expect(rows).toHaveCount(MODEL_COUNT);
  // The embedding model's $0.02/M input is the built-in catalog's cheapest; the cheapest chat model follows.
  await expect(rows.first()).toContainText("OpenAI: Text Embedding 3 Small");
  await expect(rows.nth(1)).toContainText("Meta: Llama 3.1 8B Instruct");
});
