/**
 * The console playground's route, POST /api/console/playground/chat, through the real
 * server in demo mode: only a signed-in, same-origin session may call it; the answer
 * streams as the gateway wrote it, billed to the account under a short-lived playground
 * key whose secret never reaches the browser and which the API Keys list does not show;
 * bad input is refused in the OpenAI shape with nothing billed. (The browser side is
 * e2e/playground.spec.ts.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsoleClient } from "@/tests/support/console-client";
import { startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";
import { accountWithKey, balanceOf } from "@/tests/support/account-with-key";

const SERVER_START_TIMEOUT_MS = 120_000;
const PASSWORD = "playground-password-1";
const CHAT = "/api/console/playground/chat";

type ActivityRow = { id: string; provider: string | null; model: string; costUsd: string; status: string; apiKey: { name: string; start: string } | null };
async function activityRows(client: ConsoleClient): Promise<ActivityRow[]> {
  return ((await (await client.fetch("/api/console/activity?limit=50")).json()) as { data: ActivityRow[] }).data;
}

describe("POST /api/console/playground/chat", () => {
  let dir: string;
  let server: SwitchyardProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-playground-"));
    server = await startSwitchyard(
      { DATA_DIR: dir, DATABASE_URL: "", CATALOG_FILE: "", AUTH_SECRET: "", SWITCHYARD_DEMO: "1", PLAYGROUND_KEY_TTL_SECONDS: "" },
      SERVER_START_TIMEOUT_MS,
    );
  }, SERVER_START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const body = {
    model: "demo/chat",
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: 40,
    messages: [{ role: "user", content: "Say hello" }],
  };

  it("refuses a caller without a session (401) and a cross-site page with one (403), calling nothing", async () => {
    const anonymous = await fetch(`${server.url}${CHAT}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify(body),
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { type: "unauthenticated" } });

    const { client, key } = await accountWithKey(server.url, "owner@example.com", { password: PASSWORD, keyName: "balance reader" });
    const before = (await balanceOf(server.url, key)).total_credits;
    const crossSite = await client.fetch(CHAT, { json: body, headers: { origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { type: "access_denied" } });
    expect((await balanceOf(server.url, key)).total_credits).toBe(before);
    expect(await activityRows(client)).toEqual([]);
  });

  it("streams the gateway's answer, bills it to the account under a playground key the browser never sees", async () => {
    const { client, key } = await accountWithKey(server.url, "streamer@example.com", { password: PASSWORD, keyName: "balance reader" });
    const before = (await balanceOf(server.url, key)).total_credits;
    const response = await client.fetch(CHAT, { json: body });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const provider = response.headers.get("x-switchyard-provider");
    const id = response.headers.get("x-request-id");
    expect(provider).toMatch(/^demo-/);
    expect(id).toMatch(/^gen_/);
    const text = await response.text();
    const events = text
      .split("\n")
      .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
      .map((line) => JSON.parse(line.slice(6)));
    const content = events.map((event) => event.choices?.[0]?.delta?.content ?? "").join("");
    expect(content.length).toBeGreaterThan(0);
    const cost: number = events.find((event) => event.usage)?.usage.cost;
    expect(cost).toBeGreaterThan(0);
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);

    // The key's secret is nowhere in what the browser got.
    const everything = `${[...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n")}\n${text}`;
    expect(everything).not.toMatch(/sk-[a-z]{2}-v1-/);

    // Billed exactly the answer's cost, recorded in Activity under the playground key.
    let row: ActivityRow | undefined;
    await expect.poll(async () => (row = (await activityRows(client)).find((r) => r.id === id)), { timeout: 5000 }).toBeDefined();
    expect(row).toMatchObject({ model: "demo/chat", provider, status: "success" });
    expect(row!.apiKey?.name).toMatch(/^Playground \(expires \d{2}:\d{2} UTC\)$/);
    expect(Number(row!.costUsd)).toBeCloseTo(cost, 9);
    await expect.poll(async () => before - (await balanceOf(server.url, key)).total_credits, { timeout: 5000 }).toBeCloseTo(cost, 9);

    // The API Keys page lists the user's own keys only, not the playground's.
    const keys = (await (await client.fetch("/api/console/keys")).json()) as { data: { name: string }[] };
    expect(keys.data.map((k) => k.name)).toEqual(["balance reader"]);

    // A second answer reuses the same key while it has time left.
    const again = await client.fetch(CHAT, { json: { ...body, stream: false, stream_options: undefined } });
    expect(again.status).toBe(200);
    const secondId = again.headers.get("x-request-id");
    await again.json();
    let second: ActivityRow | undefined;
    await expect.poll(async () => (second = (await activityRows(client)).find((r) => r.id === secondId)), { timeout: 5000 }).toBeDefined();
    expect(second!.apiKey).toEqual(row!.apiKey);
  });

  it("refuses an unknown model and a malformed body in the OpenAI shape, billing nothing", async () => {
    const { client, key } = await accountWithKey(server.url, "careless@example.com", { password: PASSWORD, keyName: "balance reader" });
    const before = (await balanceOf(server.url, key)).total_credits;
    const unknown = await client.fetch(CHAT, { json: { ...body, model: "nobody/nothing" } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain("nobody/nothing");
    const malformed = await client.fetch(CHAT, { json: { model: "demo/chat", messages: "hello" } });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { param?: string; message: string } }).error.message).toMatch(/messages/);
    expect((await balanceOf(server.url, key)).total_credits).toBe(before);
    expect(await activityRows(client)).toEqual([]);
  });
});
