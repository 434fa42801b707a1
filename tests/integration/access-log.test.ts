/**
 * The access log on stdout: one line per API request (chat, a streamed chat, an unknown
 * path, a refused key, a model list) with method, path, status, model, provider,
 * duration, TTFT, request id and key id; JSON with LOG_FORMAT=json, text otherwise;
 * console pages only with LOG_LEVEL=debug; never the API key, the provider credential,
 * a query string or the prompt. The server runs in demo mode, so the fake upstream and
 * its credential come with it (the credential is a canary here).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStartScript, startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";
import { poll } from "@/tests/support/poll";
import { accountWithKey } from "@/tests/support/account-with-key";

const SERVER_START_TIMEOUT_MS = 120_000;
const PASSWORD = "access-password-1";
const CREDENTIAL = "demo-credential-canary-7f3a9c";
const PROMPT = "prompt-canary-4b1e0d: what is the capital of France?";

type AccessLine = {
  time: string;
  level: string;
  msg: string;
  method: string;
  path: string;
  status: number;
  model: string | null;
  provider: string | null;
  duration_ms: number;
  ttft_ms: number | null;
  request_id: string | null;
  key_id: string | null;
};

function jsonAccessLines(output: string): AccessLine[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes('"msg":"access"'))
    .map((line) => JSON.parse(line) as AccessLine);
}

/** Lines are written a moment after the answer (one write per event-loop turn): wait for them. */
const waitFor = <T>(read: () => T[], count: number): Promise<T[]> => poll(read, (lines) => lines.length >= count, { intervalMs: 50 });

const chat = (url: string, key: string, body: Record<string, unknown>) =>
  fetch(`${url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "demo/chat", messages: [{ role: "user", content: PROMPT }], ...body }),
  });

describe("the access log with LOG_FORMAT=json", () => {
  let dir: string;
  let server: SwitchyardProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-access-"));
    server = await startSwitchyard(
      {
        DATA_DIR: dir,
        DATABASE_URL: "",
        CATALOG_FILE: "",
        AUTH_SECRET: "",
        SWITCHYARD_DEMO: "1",
        DEMO_UPSTREAM_API_KEY: CREDENTIAL,
        LOG_FORMAT: "json",
        LOG_LEVEL: "",
      },
      SERVER_START_TIMEOUT_MS,
    );
  }, SERVER_START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes one JSON line per API call with its fields, and nothing secret or private", async () => {
    const { key, keyId } = await accountWithKey(server.url, "logged@example.com", { password: PASSWORD, keyName: "logged" });
    const consoleLines = jsonAccessLines(server.output()).length;
    // Sign-up, sign-in and the console API are not API requests: nothing at info.
    expect(consoleLines).toBe(0);

    const json = await chat(server.url, key, { max_tokens: 30 });
    expect(json.status).toBe(200);
    await json.text();
    const streamed = await chat(server.url, key, { stream: true, max_tokens: 30 });
    expect(streamed.status).toBe(200);
    await streamed.text();
    const unknown = await fetch(`${server.url}/api/v1/no/such/path?key=${key}`);
    expect(unknown.status).toBe(404);
    await unknown.text();
    const refused = await chat(server.url, "sk-sy-v1-not-a-real-key", {});
    expect(refused.status).toBe(401);
    await refused.text();
    const models = await fetch(`${server.url}/api/v1/models`);
    expect(models.status).toBe(200);
    await models.text();

    const lines = await waitFor(() => jsonAccessLines(server.output()), 5);
    expect(lines).toHaveLength(5);
    const [jsonLine, streamLine, unknownLine, refusedLine, modelsLine] = lines;

    expect(jsonLine).toMatchObject({
      level: "info",
      msg: "access",
      method: "POST",
      path: "/api/v1/chat/completions",
      status: 200,
      model: "demo/chat",
      provider: json.headers.get("x-switchyard-provider"),
      ttft_ms: null,
      request_id: json.headers.get("x-request-id"),
      key_id: keyId,
    });
    expect(jsonLine.duration_ms).toBeGreaterThan(0);
    expect(new Date(jsonLine.time).getTime()).toBeGreaterThan(Date.now() - 120_000);

    expect(streamLine).toMatchObject({
      method: "POST",
      path: "/api/v1/chat/completions",
      status: 200,
      model: "demo/chat",
      provider: streamed.headers.get("x-switchyard-provider"),
      request_id: streamed.headers.get("x-request-id"),
      key_id: keyId,
    });
    expect(streamLine.ttft_ms).toBeGreaterThan(0);
    expect(streamLine.ttft_ms!).toBeLessThanOrEqual(streamLine.duration_ms);

    // The query string (here a key, as Gemini clients may send one) is never logged.
    expect(unknownLine).toMatchObject({ method: "GET", path: "/api/v1/no/such/path", status: 404, model: null, provider: null, key_id: null });
    expect(refusedLine).toMatchObject({
      method: "POST",
      path: "/api/v1/chat/completions",
      status: 401,
      model: null,
      provider: null,
      key_id: null,
      request_id: refused.headers.get("x-request-id"),
    });
    expect(modelsLine).toMatchObject({ method: "GET", path: "/api/v1/models", status: 200 });

    const output = server.output();
    expect(output).not.toContain(key);
    expect(output).not.toContain(key.slice(9, 30));
    expect(output).not.toContain(CREDENTIAL);
    expect(output).not.toContain("prompt-canary-4b1e0d");
  });
});

describe("the access log as text, with LOG_LEVEL=debug", () => {
  let dir: string;
  let server: SwitchyardProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-access-text-"));
    server = await startSwitchyard(
      { DATA_DIR: dir, DATABASE_URL: "", CATALOG_FILE: "", AUTH_SECRET: "", SWITCHYARD_DEMO: "1", LOG_FORMAT: "", LOG_LEVEL: "debug" },
      SERVER_START_TIMEOUT_MS,
    );
  }, SERVER_START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes a text line per API call and, at debug, one per console page", async () => {
    const { key, keyId } = await accountWithKey(server.url, "text@example.com", { password: PASSWORD, keyName: "logged" });
    const response = await chat(server.url, key, { max_tokens: 10 });
    expect(response.status).toBe(200);
    await response.text();
    const page = await fetch(`${server.url}/login`);
    await page.text();

    const accessLines = () =>
      server
        .output()
        .split("\n")
        .filter((line) => / access /.test(line));
    const apiLine = (await waitFor(() => accessLines().filter((line) => line.includes(response.headers.get("x-request-id")!)), 1))[0];
    expect(apiLine).toMatch(
      new RegExp(
        `^\\S+Z access POST /api/v1/chat/completions 200 [\\d.]+ms ttft=- model=demo/chat provider=${response.headers.get("x-switchyard-provider")} request_id=${response.headers.get("x-request-id")} key_id=${keyId}$`,
      ),
    );
    const pageLines = await waitFor(() => accessLines().filter((line) => line.includes(" access GET /login 200 ")), 1);
    expect(pageLines).toHaveLength(1);
    expect(pageLines[0]).toContain("model=- provider=- request_id=- key_id=-");
    expect(server.output()).not.toContain(key);
  });
});

describe.each([
  { variable: "LOG_FORMAT", value: "xml", message: 'LOG_FORMAT must be text or json, got "xml"' },
  { variable: "LOG_LEVEL", value: "verbose", message: 'LOG_LEVEL must be debug, info, warn or error, got "verbose"' },
])("npm start refuses a $variable it does not know", ({ variable, value, message }) => {
  it("exits 1 naming the variable, before touching the database", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-badlog-"));
    try {
      const result = await runStartScript({
        DATA_DIR: dir,
        DATABASE_URL: `file:${path.join(dir, "db.sqlite")}`,
        CATALOG_FILE: "",
        PORT: "1",
        [variable]: value,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
      expect(existsSync(path.join(dir, "db.sqlite"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
