/**
 * Demo mode as a new user meets it: `node scripts/serve.mjs --demo` (and SWITCHYARD_DEMO=1)
 * on a fresh data folder with no provider keys: the fake upstream starts beside the
 * server, the demo catalog is served, the first account signs up with demo credit, a key
 * makes a real call through the fake, billed from that credit, and the call is in
 * Activity with its provider and cost. Stopping the server stops the fake (its port closes).
 * This is also the demo's first run through the console's HTTP API (the Playwright spec
 * e2e/demo.spec.ts does the browser part).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareInstance } from "@/lib/setup/prepare-instance";
import type { ConsoleClient } from "@/tests/support/console-client";
import { runStartScript, startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";
import { accountWithKey, balanceOf } from "@/tests/support/account-with-key";

const SERVER_START_TIMEOUT_MS = 120_000;
const PASSWORD = "demo-password-1";
const DEMO_PROVIDERS = ["demo-openai", "demo-flaky", "demo-slow", "demo-anthropic", "demo-responses", "demo-gemini"];

/** The fake's origin, as the start script logs it. */
function fakeOrigin(server: SwitchyardProcess): string {
  const match = /demo mode: fake upstream on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output());
  if (!match) throw new Error(`no fake upstream address in the output:\n${server.output()}`);
  return match[1];
}

/** Whether something accepts connections on the origin's port. */
function isListening(origin: string): Promise<boolean> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitUntilClosed(origin: string, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isListening(origin))) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

const chat = (url: string, key: string, body: Record<string, unknown>) =>
  fetch(`${url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "Say hello" }], ...body }),
  });

type ActivityRow = { id: string; provider: string | null; model: string; costUsd: string; status: string };
async function activityRow(client: ConsoleClient, id: string): Promise<ActivityRow> {
  for (let i = 0; i < 100; i++) {
    const page = (await (await client.fetch("/api/console/activity?limit=50")).json()) as { data: ActivityRow[] };
    const row = page.data.find((r) => r.id === id);
    if (row) return row;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no activity row for ${id}`);
}

describe("npm start -- --demo on a fresh data folder, without any provider key", () => {
  let dir: string;
  let server: SwitchyardProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-demo-"));
    // No DATABASE_URL or CATALOG_FILE: the demo picks its own. No provider key at all.
    server = await startSwitchyard(
      { DATA_DIR: dir, DATABASE_URL: "", CATALOG_FILE: "", AUTH_SECRET: "", TRIAL_CREDIT_USD: "", OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "" },
      SERVER_START_TIMEOUT_MS,
      [],
      ["--demo"],
    );
  }, SERVER_START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps its own database and catalog in the data folder, apart from the real ones", () => {
    expect(existsSync(path.join(dir, "demo.db"))).toBe(true);
    expect(existsSync(path.join(dir, "switchyard.db"))).toBe(false);
    const catalog = JSON.parse(readFileSync(path.join(dir, "demo-catalog.json"), "utf8")) as {
      providers: { slug: string; adapter: string; baseUrl: string }[];
    };
    expect(catalog.providers.map((p) => p.slug)).toEqual(DEMO_PROVIDERS);
    expect(new Set(catalog.providers.map((p) => p.adapter))).toEqual(new Set(["openai", "anthropic", "responses", "gemini"]));
    for (const provider of catalog.providers) expect(provider.baseUrl.startsWith(`${fakeOrigin(server)}/p/${provider.slug}`)).toBe(true);
    expect(server.output()).toContain("in DEMO MODE");
  });

  it("lists the demo models publicly", async () => {
    const body = (await (await fetch(`${server.url}/api/v1/models`)).json()) as { data: { id: string }[] };
    expect(body.data.map((m) => m.id).sort()).toEqual(["demo/chat", "demo/embed", "demo/mini", "demo/reasoner"]);
  });

  it("says demo mode on public pages", async () => {
    for (const page of ["/", "/models", "/signup"]) {
      const html = await (await fetch(`${server.url}${page}`)).text();
      expect(html, page).toContain('data-testid="demo-banner"');
    }
  });

  it("runs the first ten minutes: sign-up with demo credit, a key, calls served by the fake and billed, Activity with provider and cost", async () => {
    const { client, key } = await accountWithKey(server.url, "first@example.com", { password: PASSWORD, keyName: "demo" });
    const dashboard = await client.fetch("/dashboard");
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('data-testid="demo-banner"');
    expect(await balanceOf(server.url, key)).toMatchObject({ total_credits: 10 });

    const before = (await (await fetch(`${fakeOrigin(server)}/_stats`)).json()) as { total: number };
    const response = await chat(server.url, key, { model: "demo/chat", max_tokens: 50 });
    expect(response.status).toBe(200);
    const provider = response.headers.get("x-switchyard-provider");
    expect(DEMO_PROVIDERS).toContain(provider);
    const body = (await response.json()) as { choices: { message: { content: string } }[]; usage: { cost: number } };
    expect(body.choices[0].message.content.length).toBeGreaterThan(0);
    expect(body.usage.cost).toBeGreaterThan(0);
    const after = (await (await fetch(`${fakeOrigin(server)}/_stats`)).json()) as { total: number };
    expect(after.total).toBeGreaterThan(before.total);

    // A stream over another protocol pair (a Chat client on Anthropic/Gemini upstreams).
    const streamed = await chat(server.url, key, { model: "demo/mini", stream: true, stream_options: { include_usage: true } });
    expect(streamed.status).toBe(200);
    const text = await streamed.text();
    expect(text).toContain("data: [DONE]");
    expect(["demo-anthropic", "demo-gemini"]).toContain(streamed.headers.get("x-switchyard-provider"));

    const row = await activityRow(client, response.headers.get("x-request-id")!);
    expect(row).toMatchObject({ provider, model: "demo/chat", status: "success" });
    expect(Number(row.costUsd)).toBeCloseTo(body.usage.cost, 9);
    const streamRow = await activityRow(client, streamed.headers.get("x-request-id")!);
    const balance = await balanceOf(server.url, key);
    expect(balance.total_credits).toBeCloseTo(10 - body.usage.cost - Number(streamRow.costUsd), 9);
    expect(balance.total_credits).toBeLessThan(10);
  });

  it("stops the fake with the server: SIGTERM to the server's pid alone closes the fake's port", async () => {
    const origin = fakeOrigin(server);
    expect(await isListening(origin)).toBe(true);
    process.kill(server.pid, "SIGTERM");
    expect(await server.exited).toBe(0);
    expect(await waitUntilClosed(origin)).toBe(true);
    expect(await isListening(server.url)).toBe(false);
  });
});

describe("SWITCHYARD_DEMO=1 npm start", () => {
  let dir: string;
  let server: SwitchyardProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-demo-env-"));
    // An explicit DATABASE_URL is used as given (a fresh file here).
    server = await startSwitchyard(
      { DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "chosen.db")}`, CATALOG_FILE: "", AUTH_SECRET: "", TRIAL_CREDIT_USD: "", SWITCHYARD_DEMO: "1" },
      SERVER_START_TIMEOUT_MS,
    );
  }, SERVER_START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the demo the same way, on the database the operator chose, and the fake stops with it", async () => {
    expect(existsSync(path.join(dir, "chosen.db"))).toBe(true);
    expect(existsSync(path.join(dir, "demo.db"))).toBe(false);
    const { key } = await accountWithKey(server.url, "env@example.com", { password: PASSWORD, keyName: "demo" });
    const response = await chat(server.url, key, { model: "demo-chat", max_tokens: 20 });
    expect(response.status).toBe(200);
    expect(DEMO_PROVIDERS).toContain(response.headers.get("x-switchyard-provider"));
    expect((await balanceOf(server.url, key)).total_credits).toBeLessThan(10);

    const origin = fakeOrigin(server);
    // The whole process group, as a terminal's Ctrl-C or a supervisor would: the fake waits for its parent.
    expect(await server.stop()).toBe(0);
    expect(await waitUntilClosed(origin)).toBe(true);
  });
});

describe("demo mode refuses what would replace an operator's configuration", () => {
  it("will not sync the demo catalog into a database that holds another catalog", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-demo-guard-"));
    const env = { DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "real.db")}`, CATALOG_FILE: "", AUTH_SECRET: "x".repeat(32) };
    try {
      await prepareInstance(env, path.resolve(import.meta.dirname, "../.."));
      const result = await runStartScript({ ...env, PORT: "1" }, 60_000, ["--demo"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("is not the demo's; demo mode would replace it");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a SWITCHYARD_DEMO that is neither true nor false", async () => {
    const result = await runStartScript({ SWITCHYARD_DEMO: "maybe", PORT: "1" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SWITCHYARD_DEMO must be 1 or 0 (true/false), got "maybe"');
  });
});
