/**
 * The Claude Code CLI (the npm package's own binary) in print mode against the running
 * gateway and the fake upstream: once on an Anthropic-protocol model (native) and once
 * on an OpenAI-protocol model (translated). Claude Code sends its real system blocks,
 * tool definitions and streaming requests; it must get a streamed answer back.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

const CLAUDE = path.resolve(import.meta.dirname, "../../node_modules/@anthropic-ai/claude-code/bin/claude.exe");

let gw: GatewayFixture;
let home: string;
beforeAll(async () => {
  gw = await startGatewayFixture();
  home = mkdtempSync(path.join(os.tmpdir(), "claude-home-"));
});
afterAll(async () => {
  await gw?.stop();
  rmSync(home, { recursive: true, force: true });
});

function runClaude(model: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: "production",
      PATH: process.env.PATH ?? "",
      HOME: home,
      ANTHROPIC_BASE_URL: `${gw.url}/api/anthropic`,
      ANTHROPIC_API_KEY: gw.key,
      // Every request Claude Code makes goes to the gateway, nowhere else.
      ANTHROPIC_SMALL_FAST_MODEL: model,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
      DISABLE_TELEMETRY: "1",
      DISABLE_ERROR_REPORTING: "1",
    };
    const child: ChildProcessByStdio<null, Readable, Readable> = spawn(CLAUDE, ["-p", "Say hello", "--model", model, "--output-format", "text"], {
      cwd: home,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`claude did not finish in 90 s\n${stdout}\n${stderr}`));
    }, 90_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("Claude Code through the gateway", () => {
  for (const [label, model, provider] of [
    ["native (Anthropic-protocol model)", "test/agent-claude", "agent-claude"],
    ["translated (OpenAI-protocol model)", "test/agent-open", "agent-openai"],
  ] as const) {
    it(`answers in print mode: ${label}`, async () => {
      const before = gw.fake.stats().byProvider[provider]?.calls ?? 0;
      const result = await runClaude(model);
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/lorem|ipsum|dolor/);
      expect((gw.fake.stats().byProvider[provider]?.calls ?? 0) - before).toBeGreaterThan(0);
      const sent = [...gw.fake.stats().lastRequests].reverse().find((r) => r.provider === provider);
      expect(sent?.body).toMatchObject({ stream: true });
    }, 120_000);
  }
});
