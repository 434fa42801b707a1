import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { fillPricedModel, repriceModel } from "./support/model-form";
import { ensureAccounts, signIn } from "./support/session";

const MODEL = "e2e/admin-priced";

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

async function call(request: APIRequestContext, key: string): Promise<{ id: string; cost: number }> {
  const response = await request.post("/api/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model: MODEL, messages: [{ role: "user", content: "Hello" }], max_tokens: 5 },
  });
  expect(response.status()).toBe(200);
  return { id: response.headers()["x-request-id"], cost: (await response.json()).usage.cost };
}

test.describe.configure({ mode: "serial" });

test("an admin adds a priced model, changes its price and the next call is billed at it; suspends a member; members get 403", async ({ browser, request }) => {
  await ensureAccounts(request, ["owner@example.com", "member@example.com"]);

  const member = await signedIn(browser, "member@example.com");
  for (const path of ["/admin/models", "/admin/users", "/admin/models/new"]) expect((await member.goto(path))?.status(), path).toBe(403);
  await member.context().close();

  const admin = await signedIn(browser, "owner@example.com");
  await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Manage models" }).click();
  await expect(admin.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
  await expect(admin.getByText("CATALOG_FILE is set")).toBeVisible();
  await admin.getByRole("link", { name: "Add model" }).click();

  await fillPricedModel(
    admin,
    {
      id: MODEL,
      displayName: "E2E: priced by the admin",
      provider: "e2e-fast",
      endpointName: "e2e_admin_fast",
      upstreamModel: "fake-model",
      perRequestUsd: "0.01",
    },
    { submit: false },
  );
  await admin.getByLabel("Endpoint 1 price 1 value", { exact: true }).fill("-1");
  await admin.getByRole("button", { name: "Create model" }).click();
  // A negative price is refused next to its input, and nothing is created.
  await expect(admin.getByText("a price cannot be negative")).toBeVisible();
  await admin.getByLabel("Endpoint 1 price 1 value", { exact: true }).fill("0");
  await admin.getByRole("button", { name: "Create model" }).click();
  await expect(admin.getByText("Model created. Clients can call it now.")).toBeVisible();
  const editUrl = admin.url().replace(/\?.*$/, "");

  const keyResponse = await admin.request.post("/api/console/keys", { data: { name: "admin models e2e" } });
  expect(keyResponse.status()).toBe(201);
  const { key } = await keyResponse.json();
  const first = await call(request, key);
  expect(first.cost).toBe(0.01);

  await repriceModel(admin, editUrl, "0.02");
  const second = await call(request, key);
  expect(second.cost).toBe(0.02);

  // The activity page bills each call at the price in force when it was made.
  await admin.goto("/activity");
  const table = admin.getByRole("table", { name: "Activity" });
  for (const made of [first, second]) {
    const row = table.getByRole("row").filter({ has: admin.getByRole("button", { name: `Details of ${made.id}` }) });
    await expect(row.getByRole("button", { name: "Cost" })).toHaveText(`$${made.cost}`);
  }

  await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" }).click();
  const row = admin.getByTestId("user-member@example.com");
  await row.getByRole("button", { name: "Suspend" }).click();
  await admin.getByRole("dialog", { name: "Suspend this account?" }).getByRole("button", { name: "Suspend" }).click();
  await expect(row.getByRole("cell", { name: "suspended" })).toBeVisible();
  // Later specs sign the member in again.
  await row.getByRole("button", { name: "Restore" }).click();
  await expect(row.getByRole("cell", { name: "active" })).toBeVisible();

  // Disabled, the model leaves the public lists (later specs count them) and stops answering.
  await admin.goto("/admin/models");
  const modelRow = admin.getByTestId(`model-${MODEL}`);
  await modelRow.getByRole("button", { name: `Disable ${MODEL}` }).click();
  await expect(modelRow.getByRole("cell", { name: "disabled" })).toBeVisible();
  const refused = await request.post("/api/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model: MODEL, messages: [{ role: "user", content: "Hello" }] },
  });
  expect(refused.status()).toBe(404);
  await admin.context().close();
});
