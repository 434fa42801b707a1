import { expect, test } from "@playwright/test";
import { signIn } from "./support/session";

test.describe.configure({ mode: "serial" });

test("an admin sets a model-family limit and an account override; calls past the family limit get 429; members cannot open the page", async ({ browser }) => {
  // Accounts come from accounts-and-keys.spec.ts (owner = admin, member), which runs first.
  const context = await browser.newContext();
  const admin = await context.newPage();
  await signIn(admin, "owner@example.com");
  await admin.goto("/admin");
  await admin
    .getByRole("navigation", { name: "Admin pages" })
    .getByRole("link", { name: /^Rate limits/ })
    .click();
  await expect(admin).toHaveURL(/\/admin\/rate-limits$/);
  await expect(admin.getByRole("heading", { name: "Rate limits" })).toBeVisible();
  // The seed FAQ's defaults.
  const gpt = admin.getByRole("group", { name: "Family 2" });
  await expect(gpt.getByLabel("Family name")).toHaveValue("GPT");
  await expect(gpt.getByLabel("Requests/min")).toHaveValue("60");

  // A bad value: a message next to the field, nothing saved.
  await admin.getByRole("button", { name: "Add family" }).click();
  const e2e = admin.getByRole("group", { name: "Family 4" });
  await e2e.getByLabel("Family name").fill("E2E");
  await e2e.getByLabel("Model patterns").fill("e2e/*");
  await e2e.getByLabel("Requests/min").fill("0");
  await admin.getByRole("button", { name: "Save limits" }).click();
  await expect(e2e.getByText("Enter a whole number of requests per minute (at least 1), or leave it empty for no limit")).toBeVisible();
  await e2e.getByLabel("Requests/min").fill("2");
  await admin.getByRole("button", { name: "Save limits" }).click();
  await expect(admin.getByRole("status")).toHaveText("Saved. Every instance applies it within a second.");

  const origin = new URL(admin.url()).origin;
  const created = await admin.request.post("/api/console/keys", { data: { name: "rate limited" }, headers: { origin } });
  expect(created.status()).toBe(201);
  const key = (await created.json()).key as string;
  const call = () =>
    admin.request.post("/api/v1/chat/completions", {
      headers: { authorization: `Bearer ${key}` },
      data: { model: "e2e/chat", messages: [{ role: "user", content: "Hello" }], provider: { routing: { type: "order", providers: ["e2e-fast"] } } },
    });
  // The settings apply within a second; before that the family has no limit and calls pass.
  await expect.poll(async () => (await call()).headers()["x-ratelimit-limit-requests"] ?? null).toBe("2");
  let refused = await call();
  if (refused.status() === 200) refused = await call();
  expect(refused.status()).toBe(429);
  expect(refused.headers()).toMatchObject({ "x-ratelimit-limit-requests": "2", "x-ratelimit-remaining-requests": "0" });
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  expect((await refused.json()).error).toMatchObject({ code: "429", type: "rate_limit", message: expect.stringContaining("E2E models") });

  // An override for one account, listed, then cleared.
  const override = admin.getByRole("form", { name: "Account override" });
  await override.getByLabel("Account email").fill("nobody@example.com");
  await override.getByRole("button", { name: "Set override" }).click();
  await expect(override.getByText("No account has this email")).toBeVisible();
  await override.getByLabel("Account email").fill("member@example.com");
  await override.getByLabel("Requests per minute").fill("30");
  await override.getByRole("button", { name: "Set override" }).click();
  const table = admin.getByRole("table", { name: "Account overrides" });
  await expect(table.getByRole("row", { name: /member@example.com/ })).toContainText("30");
  await table
    .getByRole("row", { name: /member@example.com/ })
    .getByRole("button", { name: "Clear" })
    .click();
  await expect(admin.getByText("No account has an override.")).toBeVisible();

  // Leave the instance as the other specs expect it.
  await admin.getByRole("group", { name: "Family 4" }).getByRole("button", { name: "Remove" }).click();
  await admin.getByRole("button", { name: "Save limits" }).click();
  await expect(admin.getByRole("status").first()).toBeVisible();
  await context.close();

  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await signIn(member, "member@example.com");
  const forbidden = await member.goto("/admin/rate-limits");
  expect(forbidden?.status()).toBe(403);
  await memberContext.close();
});
