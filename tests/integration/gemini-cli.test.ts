/**
 * Gemini CLI (the npm package's own bundle) headless against the running gateway's Gemini
 * surface and the fake upstream, as PROTOCOLS.md describes a user's setup:
 * GOOGLE_GEMINI_BASE_URL=<origin>/api/vertex-ai, GEMINI_API_KEY, API-key auth selected in
 * settings.json. Once on a Gemini-protocol model (relayed) and once on a Chat-protocol
 * model (translated); the second run lets the model call one of the CLI's own tools, so
 * the CLI runs it and sends its result back (a tool round trip through the gateway).
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

const GEMINI = path.resolve(import.meta.dirname, "../../node_modules/@google/gemini-cli/bundle/gemini.js");

type Json = Record<string, unknown>;

let gw: GatewayFixture;
let home: string;
let workspace: string;
beforeAll(async () => {
  gw = await startGatewayFixture();
  home = mkdtempSync(path.join(os.tmpdir(), "gemini-home-"));
  workspace = path.join(home, "project");
  mkdirSync(path.join(home, ".gemini"), { recursive: true });
  mkdirSync(workspace);
  // The fake upstream fills a tool's required string arguments with "test": give the CLI's file tools something to find.
  writeFileSync(path.join(workspace, "test"), "a file the CLI can read\n");
  writeFileSync(
    path.join(home, ".gemini", "settings.json"),
    JSON.stringify({
      security: { auth: { selectedType: "gemini-api-key" } },
      privacy: { usageStatisticsEnabled: false },
      general: { disableAutoUpdate: true, disableUpdateNag: true },
    }),
  );
});
afterAll(async () => {
  await gw?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

function runGemini(model: string, prompt: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: "production",
      PATH: process.env.PATH ?? "",
      HOME: home,
      GOOGLE_GEMINI_BASE_URL: `${gw.url}/api/vertex-ai`,
      GEMINI_API_KEY: gw.key,
      GEMINI_CLI_TRUST_WORKSPACE: "true",
      GEMINI_TELEMETRY_ENABLED: "false",
      NO_COLOR: "1",
      CI: "1",
    };
    const child: ChildProcessByStdio<null, Readable, Readable> = spawn(
      process.execPath,
      [GEMINI, "-m", model, "-p", prompt, "--output-format", "json", "--approval-mode", "yolo"],
      {
        cwd: workspace,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`gemini did not finish in 90 s\n${stdout}\n${stderr}`));
    }, 90_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Requests the fake received for these providers since the test began (each test resets the fake's log). */
const requestsTo = (...providers: string[]) => gw.fake.stats().lastRequests.filter((r) => providers.includes(r.provider));

describe("Gemini CLI through the gateway", () => {
  it("answers a prompt on a Gemini-protocol model, relayed", async () => {
    gw.fake.resetStats();
    const result = await runGemini("test/gemini", "Say hello");
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ response: expect.stringMatching(/lorem|ipsum|dolor/) });
    const sent = requestsTo("gemini-native");
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.at(-1)!.body).toMatchObject({ contents: expect.any(Array) });
  }, 120_000);

  it("runs a tool the model calls and sends its result back, on a Chat-protocol model (translated)", async () => {
    gw.fake.resetStats();
    const result = await runGemini("test/chat", "Look at the file named test");
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const sent = requestsTo("fast", "slow").map((r) => r.body as { messages: Json[]; tools?: Json[] });
    // The CLI's own tools reached the Chat upstream as functions, and a later request carries a tool result.
    expect(sent[0].tools?.length).toBeGreaterThan(0);
    const toolResults = sent.flatMap((body) => body.messages.filter((m) => m.role === "tool"));
    expect(toolResults.length).toBeGreaterThan(0);
    // The result answers the call the model made (the ids pair up across the translation), and the CLI ran the tool: it has content.
    const calls = sent.flatMap((body) => body.messages.flatMap((m) => (m.tool_calls as { id: string; function: { name: string } }[] | undefined) ?? []));
    expect(calls.map((call) => call.id)).toContain(toolResults[0].tool_call_id);
    expect(String(toolResults[0].content).length).toBeGreaterThan(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ response: expect.stringMatching(/lorem|ipsum|dolor/) });
  }, 120_000);
});
