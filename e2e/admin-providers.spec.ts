import { expect, test, type Page } from "@playwright/test";
import { fillPricedModel, repriceModel } from "./support/model-form";
import { ensureAccounts, signIn } from "./support/session";

const fakePort = Number(process.env.E2E_FAKE_UPSTREAM_PORT ?? 3218);
const RIGHT_KEY = "sk-e2e-right-key-0123456789";
const MODEL = "e2e/admin-provider-model";

/** One API call; the provider that served it and what it cost. */
async function call(page: Page, key: string): Promise<{ provider: string; cost: number }> {
  const response = await page.request.post("/api/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model: MODEL, messages: [{ role: "user", content: "Hello" }], max_tokens: 5 },
  });
  expect(response.status()).toBe(200);
  return { provider: response.headers()["x-switchyard-provider"], cost: (await response.json()).usage.cost };
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  await ensureAccounts(request, ["owner@example.com", "member@example.com"]);
  // The fake provider accepts only the right key.
  const knobs = await request.post(`http://127.0.0.1:${fakePort}/_control/knobs/e2e-admin`, { data: { requireKey: RIGHT_KEY } });
  expect(knobs.ok()).toBe(true);
});

test("an admin adds a provider on the fake upstream, tests its credential (right and wrong key), prices a model endpoint on it and reprices it, then disables it", async ({
  page,
}) => {
  await signIn(page, "owner@example.com");
  // The admin overview leads to every admin page.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Admin", exact: true }).click();
  const overview = page.getByRole("navigation", { name: "Admin pages" });
  for (const title of ["Provider setup", "Models", "Users", "Rate limits", "Audit log"])
    await expect(overview.getByRole("link", { name: new RegExp(`^${title}`) })).toBeVisible();
  await overview.getByRole("link", { name: /^Provider setup/ }).click();
  await expect(page.getByRole("heading", { name: "Providers", level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "Add provider" }).click();
  const form = page.getByRole("dialog", { name: "Add a provider" });
  await form.getByLabel("Slug").fill("e2e-admin");
  await form.getByLabel("Name").fill("E2E admin provider");
  await form.getByLabel("Base URL").fill("ftp://127.0.0.1/v1");
  await form.getByLabel("Credential").fill(RIGHT_KEY);
  await form.getByRole("button", { name: "Add provider" }).click();
  await expect(form.getByText("The base URL must start with http:// or https://")).toBeVisible();
  await form.getByLabel("Base URL").fill(`http://127.0.0.1:${fakePort}/p/e2e-admin/v1`);
  await form.getByRole("button", { name: "Add provider" }).click();
  await expect(form).toBeHidden();

  const row = page.locator("tr[data-provider='e2e-admin']");
  await expect(row).toContainText("E2E admin provider");
  await expect(row).toContainText("stored: sk-…6789");
  await expect(page.locator("body")).not.toContainText(RIGHT_KEY);

  await row.getByRole("button", { name: "Test credential of e2e-admin" }).click();
  const tester = page.getByRole("dialog", { name: "Test the credential of e2e-admin" });
  await tester.getByLabel("Upstream model").fill("fake-model");
  await tester.getByRole("button", { name: "Send test request" }).click();
  await expect(tester.getByRole("status")).toContainText("Success: fake-model answered 200");
  await tester.getByRole("button", { name: "Close" }).click();

  await row.getByRole("button", { name: "Edit e2e-admin" }).click();
  const editor = page.getByRole("dialog", { name: "Edit e2e-admin" });
  await expect(editor.getByLabel("Credential", { exact: true })).toHaveValue("");
  await editor.getByLabel("Credential", { exact: true }).fill("sk-e2e-wrong-key-0000000000");
  await editor.getByRole("button", { name: "Save changes" }).click();
  await expect(editor).toBeHidden();
  await expect(row).toContainText("stored: sk-…0000");

  await row.getByRole("button", { name: "Test credential of e2e-admin" }).click();
  await tester.getByLabel("Upstream model").fill("fake-model");
  await tester.getByRole("button", { name: "Send test request" }).click();
  await expect(tester.getByRole("alert")).toContainText("The upstream answered 401");
  await expect(tester.getByRole("alert")).toContainText("Incorrect API key");
  await tester.getByRole("button", { name: "Close" }).click();

  // Back to the right key, then the provider serves a priced model endpoint: called through
  // the API, repriced, and the next call is billed at the new price.
  await row.getByRole("button", { name: "Edit e2e-admin" }).click();
  await editor.getByLabel("Credential", { exact: true }).fill(RIGHT_KEY);
  await editor.getByRole("button", { name: "Save changes" }).click();
  await expect(editor).toBeHidden();
  await expect(row).toContainText("stored: sk-…6789");

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Manage models" }).click();
  await page.getByRole("link", { name: "Add model" }).click();
  await fillPricedModel(page, {
    id: MODEL,
    displayName: "E2E: served by the admin's provider",
    provider: "e2e-admin",
    endpointName: "e2e_admin_endpoint",
    upstreamModel: "fake-model",
    perRequestUsd: "0.01",
  });
  const editUrl = page.url().replace(/\?.*$/, "");

  const keyResponse = await page.request.post("/api/console/keys", { data: { name: "admin providers e2e" } });
  expect(keyResponse.status()).toBe(201);
  const { key } = await keyResponse.json();
  const first = await call(page, key);
  expect(first).toEqual({ provider: "e2e-admin", cost: 0.01 });

  await repriceModel(page, editUrl, "0.02");
  expect(await call(page, key)).toEqual({ provider: "e2e-admin", cost: 0.02 });

  // Disabled again, so later specs that count the public models are not affected.
  await page.goto("/admin/models");
  await page
    .getByTestId(`model-${MODEL}`)
    .getByRole("button", { name: `Disable ${MODEL}` })
    .click();
  await expect(page.getByTestId(`model-${MODEL}`).getByRole("cell", { name: "disabled" })).toBeVisible();
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Provider setup" }).click();

  await row.getByRole("button", { name: "Disable e2e-admin" }).click();
  await expect(row).toContainText("Disabled");

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit log" }).click();
  const audit = page.getByRole("table", { name: "Audit events" });
  await expect(audit.getByRole("row").filter({ hasText: "provider.disable" })).toContainText("e2e-admin");
  await expect(audit.getByRole("row").filter({ hasText: "provider.create" }).first()).toContainText("owner@example.com");
  await page.getByLabel("Target").selectOption("provider");
  await expect(audit.getByRole("row").filter({ hasText: "provider.credential.test" }).first()).toBeVisible();
  await expect(page.locator("body")).not.toContainText(RIGHT_KEY);
});

test("a member gets 403 on every admin page", async ({ page }) => {
  await signIn(page, "member@example.com");
  await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Provider setup" })).toHaveCount(0);
  for (const path of ["/admin", "/admin/providers", "/admin/audit", "/admin/models", "/admin/models/new", "/admin/users", "/admin/rate-limits"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  }
});
