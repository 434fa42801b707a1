/** The admin's model editor: a new model with one endpoint billed per request. */
import { expect, type Page } from "@playwright/test";

export type PricedModel = { id: string; displayName: string; provider: string; endpointName: string; upstreamModel: string; perRequestUsd: string };

/** Fills the "Add model" form (the page must be open) and submits it; token prices are 0. */
export async function fillPricedModel(page: Page, model: PricedModel, options: { submit?: boolean } = {}): Promise<void> {
  const field = (label: string) => page.getByLabel(label, { exact: true });
  await field("Model id").fill(model.id);
  await field("Display name").fill(model.displayName);
  await field("Context length (tokens)").fill("32000");
  await field("Endpoint 1 provider").selectOption(model.provider);
  await field("Endpoint 1 name").fill(model.endpointName);
  await field("Endpoint 1 upstream model id").fill(model.upstreamModel);
  await field("Endpoint 1 price 1 value").fill("0");
  await field("Endpoint 1 price 2 value").fill("0");
  await page.getByRole("button", { name: "Add price" }).click();
  await field("Endpoint 1 price 3 fee item").selectOption("request");
  await field("Endpoint 1 price 3 unit").selectOption("perCount");
  await field("Endpoint 1 price 3 value").fill(model.perRequestUsd);
  if (options.submit === false) return;
  await page.getByRole("button", { name: "Create model" }).click();
  await expect(page.getByText("Model created. Clients can call it now.")).toBeVisible();
}

/** Sets the per-request price on the model's edit page and saves it. */
export async function repriceModel(page: Page, editUrl: string, perRequestUsd: string): Promise<void> {
  await page.goto(editUrl);
  await page.getByLabel("Endpoint 1 price 3 value", { exact: true }).fill(perRequestUsd);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved:" })).toContainText("Saved: 1 change");
}
