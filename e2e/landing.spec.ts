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
  await expect(
    page
      .getByRole("table", { name: "Endpoints" })
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: "/api/v1/models", exact: true }) }),
  ).toContainText("GET");
});

test("the landing and docs snippets call a model this instance serves, and long lines stay inside their box", async ({ page, request }) => {
  for (const path of ["/", "/docs"]) {
    await page.goto(path);
    const curl = page.getByRole("figure").filter({ hasText: "/api/v1/chat/completions" }).first();
    const model = /"model": "([^"]+)"/.exec((await curl.textContent()) ?? "")?.[1];
    expect(model, path).toBeTruthy();
    // The example is a real, listed model (an unknown one would be a 404 here).
    expect((await request.get(`/api/v1/models/${model}`)).status(), `${path}: ${model}`).toBe(200);
    // At a phone's width every code block stays inside the viewport and scrolls its own long lines.
    await page.setViewportSize({ width: 390, height: 800 });
    for (const figure of await page.getByRole("figure").all()) {
      const box = (await figure.boundingBox())!;
      expect(box.x + box.width, `${path}: a code block at 390 px`).toBeLessThanOrEqual(390);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  await page.goto("/docs");
  await expect(page.getByText("README")).toHaveCount(0);
  await expect(page.getByRole("figure", { name: "TypeScript — Vercel AI SDK" })).toContainText("createOpenAI");
});
