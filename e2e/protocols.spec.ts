import { expect, test, type APIRequestContext } from "@playwright/test";
import { signUp } from "./support/session";

/** One call per client protocol on the OpenAI-protocol e2e model; each answer's generation id. */
async function callInEachProtocol(request: APIRequestContext, key: string) {
  const model = "e2e/chat:e2e-fast";
  const chat = await request.post("/api/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model, messages: [{ role: "user", content: "Hi" }] },
  });
  const messages = await request.post("/api/anthropic/v1/messages", {
    headers: { "x-api-key": key, "anthropic-version": "2023-06-01" },
    data: { model, max_tokens: 64, messages: [{ role: "user", content: "Hi" }] },
  });
  const responses = await request.post("/api/v1/responses", { headers: { authorization: `Bearer ${key}` }, data: { model, input: "Hi" } });
  for (const response of [chat, messages, responses]) expect(response.status()).toBe(200);
  const id = (response: typeof chat) => response.headers()["x-request-id"];
  return { chat: id(chat), messages: id(messages), responses: id(responses) };
}

test("activity shows each call's client and upstream protocol, in the row and the details, and filters by the client's", async ({ page }) => {
  await signUp(page, "protocols@example.com");
  const created = await page.request.post("/api/console/keys", { data: { name: "protocols" }, headers: { origin: new URL(page.url()).origin } });
  const { key } = await created.json();
  const ids = await callInEachProtocol(page.request, key);

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Activity" }).click();
  const table = page.getByRole("table", { name: "Activity" });
  await expect(table.getByRole("row")).toHaveCount(4);
  // The protocol column is not shown by default: turned on in the column chooser.
  await page.getByRole("button", { name: "Columns" }).click();
  await page.getByRole("dialog", { name: "Columns" }).getByLabel("Protocol").check();
  await page.keyboard.press("Escape");
  const row = (id: string) => table.getByRole("row").filter({ has: page.getByRole("button", { name: `Details of ${id}` }) });
  await expect(row(ids.chat).getByRole("cell", { name: "OpenAI Chat", exact: true })).toBeVisible();
  await expect(row(ids.messages)).toContainText("Anthropic → OpenAI Chat");
  await expect(row(ids.responses)).toContainText("OpenAI Responses → OpenAI Chat");

  await row(ids.messages)
    .getByRole("button", { name: `Details of ${ids.messages}` })
    .click();
  const detail = page.getByRole("dialog", { name: "Call details" });
  await expect(detail.getByRole("definition").filter({ hasText: /^Anthropic Messages$/ })).toBeVisible();
  await expect(detail.getByRole("definition").filter({ hasText: "OpenAI Chat Completions (translated)" })).toBeVisible();
  await expect(detail.getByLabel("Raw generation record")).toContainText('"upstreamApi": "chat.completions"');
  await detail.getByRole("button", { name: "Close" }).click();

  await page.getByLabel("Client protocol").selectOption({ label: "OpenAI Responses" });
  await expect(page).toHaveURL(/api=responses/);
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(row(ids.responses)).toBeVisible();

  // The API reference is one click away in the console too.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "API docs" }).click();
  await expect(page).toHaveURL(/\/docs$/);
});

test("a model page has the call in every protocol and the coding agents' setup, all on this deployment's origin", async ({ page, baseURL }) => {
  await page.goto("/models/e2e/chat");
  const snippet = (name: string) => page.getByRole("figure", { name, exact: true });
  await expect(snippet("TypeScript (openai) — Responses")).toContainText(`baseURL: "${baseURL}/api/v1"`);
  await expect(snippet("TypeScript (openai) — Responses")).toContainText("client.responses.create");
  await expect(snippet("TypeScript (@google/genai) — Gemini")).toContainText(`baseUrl: "${baseURL}/api/vertex-ai"`);
  await expect(snippet("TypeScript (@google/genai) — Gemini")).toContainText('model: "e2e/chat"');
  await expect(snippet("curl — OpenAI Responses")).toContainText(`curl ${baseURL}/api/v1/responses`);
  await expect(snippet("curl — Anthropic Messages")).toContainText(`curl ${baseURL}/api/anthropic/v1/messages`);
  await expect(snippet("curl — Google Gemini")).toContainText(`${baseURL}/api/vertex-ai/v1beta/models/e2e/chat:generateContent`);
  await expect(snippet("Claude Code")).toContainText(`ANTHROPIC_BASE_URL=${baseURL}/api/anthropic`);
  const codex = snippet("Codex CLI — ~/.codex/config.toml");
  await expect(codex).toContainText(`base_url = "${baseURL}/api/v1"`);
  await expect(codex).toContainText('env_key = "SWITCHYARD_API_KEY"');
  await expect(codex).toContainText('wire_api = "responses"');
  await expect(snippet("Gemini CLI")).toContainText(`GOOGLE_GEMINI_BASE_URL=${baseURL}/api/vertex-ai GEMINI_API_KEY=`);
});

test("the API docs list every endpoint with its method and protocol, and the base URL of each client for this host", async ({ page, baseURL }) => {
  await page.goto("/docs");
  const endpoints = page.getByRole("table", { name: "Endpoints" });
  const endpoint = (path: string | RegExp) => endpoints.getByRole("row").filter({ has: page.getByRole("cell", { name: path, exact: true }) });
  await expect(endpoint("/api/v1/responses")).toContainText("POST");
  await expect(endpoint("/api/v1/responses")).toContainText("OpenAI Responses");
  await expect(endpoint("/api/v1/chat/completions")).toContainText("OpenAI Chat Completions");
  await expect(endpoint("/api/anthropic/v1/messages")).toContainText("Anthropic Messages");
  await expect(endpoint("/api/v1/models/{id}")).toContainText("GET, HEAD");
  await expect(endpoint("/api/vertex-ai/v1beta/models/{name}")).toContainText("Google Gemini");
  await expect(endpoint("/api/vertex-ai/v1beta/models/{name}")).toContainText("GET, HEAD, POST");
  const bases = page.getByRole("table", { name: "Base URLs" });
  await expect(bases.getByRole("row").filter({ hasText: "Codex CLI" })).toContainText(`${baseURL}/api/v1`);
  await expect(bases.getByRole("row").filter({ hasText: "Gemini CLI" })).toContainText(`${baseURL}/api/vertex-ai`);
  await expect(bases.getByRole("row").filter({ hasText: "Claude Code" })).toContainText(`${baseURL}/api/anthropic`);
});
