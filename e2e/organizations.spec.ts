import { expect, test, type Page } from "@playwright/test";
import { signIn, signUp } from "./support/session";

test.describe.configure({ mode: "serial" });

async function createKey(page: Page, name: string): Promise<string> {
  await page.goto("/keys");
  await page.getByRole("button", { name: "Create key" }).first().click();
  const form = page.getByRole("dialog", { name: "Create an API key" });
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Your new API key" });
  const key = (await shown.getByLabel("Full API key").textContent())!.trim();
  expect(key).toMatch(/^sk-sy-v1-/);
  await shown.getByLabel("I have stored this key somewhere safe").check();
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toBeHidden();
  return key;
}

async function chat(page: Page, key: string) {
  return page.request.post("/api/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model: "e2e/chat:e2e-fast", messages: [{ role: "user", content: "Hello from the team" }] },
  });
}

test("an admin creates an organization, tops it up, invites a member who joins, creates a key and calls; the admin sees the call under that member; a day limit stops the member", async ({
  browser,
}) => {
  // The instance admin (owner@example.com, from accounts-and-keys.spec.ts) issues the code the organization is topped up with.
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await signIn(owner, "owner@example.com");
  await owner.goto("/billing");
  const adminSection = owner.getByRole("region", { name: "Admin" });
  await adminSection.getByLabel("Value per code (USD)").fill("3");
  await adminSection.getByLabel("Number of codes").fill("1");
  await adminSection.getByRole("button", { name: "Create codes" }).click();
  // Earlier specs issued codes too: this one is the unused $3.00 code.
  const fresh = adminSection
    .getByRole("table", { name: "Recent redemption codes" })
    .getByRole("row")
    .filter({ hasText: "$3.00" })
    .filter({ hasText: "unused" });
  const code = (await fresh.getByRole("cell", { name: /^SY-/ }).first().textContent())!.trim();
  await ownerContext.close();

  const olgaContext = await browser.newContext();
  const olga = await olgaContext.newPage();
  await signUp(olga, "olga@example.com");
  await olga.goto("/organization");
  await olga.getByLabel("Organization name").fill("Olga's Lab");
  await olga.getByRole("button", { name: "Create organization" }).click();
  await expect(olga.getByRole("heading", { name: "Olga's Lab" })).toBeVisible();
  await expect(olga.getByLabel("Active account")).toHaveValue(/.+/);
  await expect(olga.getByLabel("Active account").locator("option:checked")).toHaveText("Olga's Lab (organization, admin)");

  // The organization's own balance: empty, then topped up by its admin with the code.
  await olga.goto("/billing");
  await expect(olga.getByRole("definition").first()).toHaveText("$0.00");
  await olga.getByLabel("Redemption code").fill(code);
  await olga.getByRole("button", { name: "Redeem" }).click();
  await expect(olga.getByRole("status")).toHaveText("$3.00 added to your balance.");
  await expect(olga.getByRole("definition").first()).toHaveText("$3.00");

  await olga.goto("/organization");
  await olga.getByLabel("Emails to invite").fill("mia@example.com");
  await olga.getByRole("button", { name: "Invite" }).click();
  const link = (await olga.getByLabel("Invitation link for mia@example.com", { exact: true }).textContent())!.trim();
  expect(link).toMatch(/\/invitations\/inv_/);
  await expect(olga.getByRole("table", { name: "Pending invitations" })).toContainText("mia@example.com");

  const miaContext = await browser.newContext();
  const mia = await miaContext.newPage();
  await signUp(mia, "mia@example.com");
  await mia.goto(new URL(link).pathname);
  await mia.getByRole("button", { name: "Join Olga's Lab" }).click();
  await expect(mia.getByRole("heading", { name: "Olga's Lab" })).toBeVisible();
  await expect(mia.getByRole("region", { name: "Your membership" })).toContainText("member");
  await expect(mia.getByLabel("Active account").locator("option:checked")).toHaveText("Olga's Lab (organization)");

  const key = await createKey(mia, "mia's team key");
  const served = await chat(mia, key);
  expect(served.status()).toBe(200);
  const callId = served.headers()["x-request-id"];
  const cost = (await served.json()).usage.cost as number;
  expect(cost).toBeGreaterThan(0);

  // The admin sees the key with its creator, and the call under the member, with its cost.
  await olga.goto("/keys");
  await expect(olga.getByRole("table", { name: "The organization's API keys" }).getByRole("row", { name: /mia's team key/ })).toContainText("mia@example.com");
  await olga.goto(`/activity?member=`);
  const table = olga.getByRole("table", { name: "Activity" });
  const callRow = table.getByRole("row").filter({ has: olga.getByRole("button", { name: `Details of ${callId}` }) });
  await expect(callRow).toContainText("mia@example.com");
  await expect(callRow).toContainText(`$${cost.toFixed(9).replace(/0+$/, "")}`);
  await table.getByRole("button", { name: `Details of ${callId}` }).click();
  const detail = olga.getByRole("dialog", { name: "Call details" });
  await expect(detail).toContainText("mia@example.com");
  await olga.keyboard.press("Escape");
  await olga.getByLabel("Member").selectOption({ label: "mia@example.com" });
  await expect(olga.getByRole("table", { name: "Activity" }).getByRole("row")).toHaveCount(2);

  // A day limit below the next call's hold: the member is refused with a 402 naming it; the admin is not.
  await olga.goto("/organization");
  await olga.getByRole("button", { name: "Limits of mia@example.com" }).click();
  await olga.getByLabel("Per day (USD)").fill("0.000001");
  await olga.getByRole("button", { name: "Save limits" }).click();
  await expect(olga.getByRole("table", { name: "Members" }).getByRole("row", { name: /mia@example.com/ })).toContainText("a day");
  // Every instance applies it within a second (money it had leased for the key under no limit is given back).
  let refused = await chat(mia, key);
  await expect.poll(async () => (refused = await chat(mia, key)).status(), { timeout: 5_000 }).toBe(402);
  expect((await refused.json()).error).toMatchObject({ type: "member_limit_daily_exceeded", message: expect.stringMatching(/daily credit limit/) });
  const olgaKey = await createKey(olga, "olga's team key");
  expect((await chat(olga, olgaKey)).status()).toBe(200);
  await mia.goto("/organization");
  await expect(mia.getByTestId("my-credit")).toContainText("of $0.000001 a day");

  await miaContext.close();
  await olgaContext.close();
});
