/** Accounts for the browser specs: one password, signing up and signing in through the real forms. */
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery staple";

export async function signUp(page: Page, email: string): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/**
 * The accounts a spec needs, whether or not an earlier spec made them (a spec can run
 * alone): on a fresh instance the first one becomes the admin.
 */
export async function ensureAccounts(request: APIRequestContext, emails: readonly string[]): Promise<void> {
  for (const email of emails) {
    const response = await request.post("/api/console/signup", { data: { email, password: PASSWORD } });
    expect([200, 201, 400]).toContain(response.status());
  }
}
