import { expect, test } from "@playwright/test";
import { signIn } from "./support/session";

test.describe.configure({ mode: "serial" });

test("an admin issues a code; a member redeems it and sees the balance and the transaction", async ({ browser }) => {
  // Accounts come from accounts-and-keys.spec.ts (owner = admin, member), which runs first.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "owner@example.com");
  await admin.goto("/billing");
  const adminSection = admin.getByRole("region", { name: "Admin" });
  await adminSection.getByLabel("Value per code (USD)").fill("7");
  await adminSection.getByLabel("Number of codes").fill("1");
  await adminSection.getByRole("button", { name: "Create codes" }).click();
  const codeCell = adminSection.getByRole("table", { name: "Recent redemption codes" }).getByRole("cell", { name: /^SY-/ }).first();
  const code = (await codeCell.textContent())!.trim();
  expect(code).toMatch(/^SY-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await adminContext.close();

  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await signIn(member, "member@example.com");
  await member.goto("/billing");
  await expect(member.getByRole("region", { name: "Admin" })).toHaveCount(0);
  const balance = member.getByRole("definition").first();
  await expect(balance).toHaveText("$5.00");
  await member.getByLabel("Redemption code").fill(code.toLowerCase());
  await member.getByRole("button", { name: "Redeem" }).click();
  await expect(member.getByRole("status")).toHaveText("$7.00 added to your balance.");
  await expect(balance).toHaveText("$12.00");
  const table = member.getByRole("table", { name: "Transactions" });
  await expect(table.getByRole("row", { name: /Code redeemed/ })).toContainText("+$7.00");
  await expect(table.getByRole("row", { name: /Trial credit/ })).toContainText("+$5.00");

  await member.getByLabel("Redemption code").fill(code);
  await member.getByRole("button", { name: "Redeem" }).click();
  await expect(member.getByText("This code has already been redeemed")).toBeVisible();
  await expect(balance).toHaveText("$12.00");
  await memberContext.close();
});
