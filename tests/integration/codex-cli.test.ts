/**
 * The Codex CLI (the npm package's own binary, `codex exec`) against the running gateway
 * and the fake upstream, with a custom model provider (`wire_api = "responses"`) in a
 * temporary CODEX_HOME: on a Responses upstream (relayed) and on a Chat upstream
 * (translated through the hub). It must complete a prompt, and run the shell tool call
 * the fake asks for and send its output back. Codex sends `store: false`: nothing is kept.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";

const CODEX = path.resolve(import.meta.dirname, "../../node_modules/.bin/codex");
const RUN_TIMEOUT_MS = 90_000;
/** The fake's whole answer (the `text` knob; one word is one token, within the fixture's 6). */
const ANSWER = "switchyard codex answer ok";

type Json = Record<string, unknown>;
type CodexEvent = { type: string; item?: { type: string; text?: string; command?: string; exit_code?: number | null; status?: string } };

let gw: GatewayFixture;
let db: Db;
let root: string;
const running = new Set<ChildProcessByStdio<null, Readable, Readable>>();

beforeAll(async () => {
  gw = await startGatewayFixture();
  db = createDb(gw.dbTarget);
  root = mkdtempSync(path.join(os.tmpdir(), "codex-cli-"));
}, 120_000);
afterAll(async () => {
  for (const child of running) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL");
  await db?.$disconnect();
  await gw?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh HOME and CODEX_HOME whose config.toml points Codex at the gateway, and a working folder. */
function codexHome(model: string): { home: string; codexHome: string; work: string } {
  const home = mkdtempSync(path.join(root, "run-"));
  const dirs = { home, codexHome: path.join(home, ".codex"), work: path.join(home, "work") };
  mkdirSync(dirs.codexHome);
  mkdirSync(dirs.work);
  const config = [
    `model_provider = "switchyard"`,
    `model = "${model}"`,
    `approval_policy = "never"`,
    ``,
    `[model_providers.switchyard]`,
    `name = "Switchyard"`,
    `base_url = "${gw.url}/api/v1"`,
    `env_key = "SWITCHYARD_API_KEY"`,
    `wire_api = "responses"`,
    ``,
  ].join("\n");
  writeFileSync(path.join(dirs.codexHome, "config.toml"), config);
  return dirs;
}

async function runCodex(model: string, prompt: string): Promise<{ code: number | null; events: CodexEvent[]; stdout: string; stderr: string }> {
  const dirs = codexHome(model);
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: process.env.PATH ?? "",
    HOME: dirs.home,
    CODEX_HOME: dirs.codexHome,
    SWITCHYARD_API_KEY: gw.key,
    NO_COLOR: "1",
  };
  const args = ["exec", "--skip-git-repo-check", "--json", "--sandbox", "read-only", "--cd", dirs.work, prompt];
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(CODEX, args, { cwd: dirs.work, env, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
      reject(new Error(`codex did not finish in ${RUN_TIMEOUT_MS / 1000} s\n${stdout}\n${stderr}`));
    }, RUN_TIMEOUT_MS);
    child.on("exit", (exitCode) => {
      clearTimeout(timer);
      running.delete(child);
      resolve(exitCode);
    });
  });
  const events = stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as CodexEvent);
  return { code, events, stdout, stderr };
}

/** The generation requests the fake received from these provider names since its stats were last reset. */
function upstreamRequests(providers: readonly string[]): Json[] {
  return gw.fake
    .stats()
    .lastRequests.filter((r) => providers.includes(r.provider) && r.method === "POST")
    .map((r) => r.body as Json);
}

/** The activity row of a Responses call on this model since `since`; rows are written in batches, so this waits for one. */
async function responsesRecord(model: string, since: Date) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await db.generation.findFirst({
      where: { userId: gw.userId, api: "responses", modelSlug: model, createdAt: { gte: since } },
      orderBy: { createdAt: "desc" },
    });
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no responses record for ${model}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const UPSTREAMS = [
  { label: "a Responses upstream (relayed)", model: "test/responses", providers: ["responses-native"], upstreamApi: "responses" },
  { label: "a Chat upstream (translated)", model: "test/chat", providers: ["fast", "slow"], upstreamApi: "chat" },
] as const;

describe.each(UPSTREAMS)("Codex CLI through the gateway, on $label", ({ model, providers, upstreamApi }) => {
  it("completes a prompt: the fake's answer is Codex's final message, and the call is recorded as a Responses call", async () => {
    for (const provider of providers) gw.fake.setKnobs(provider, { toolCalls: false, text: ANSWER });
    const since = new Date(Date.now() - 1000);
    gw.fake.resetStats();
    const result = await runCodex(model, "Say hello");
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const messages = result.events.filter((e) => e.type === "item.completed" && e.item?.type === "agent_message").map((e) => e.item!.text);
    expect(messages.at(-1)?.trim()).toBe(ANSWER);
    expect(result.events.some((e) => e.type === "turn.completed")).toBe(true);
    const sent = upstreamRequests(providers);
    expect(sent.length).toBeGreaterThan(0);
    expect(await responsesRecord(model, since)).toMatchObject({ api: "responses", upstreamApi, status: "success", streamed: true });
    // Codex asks not to store: nothing is kept.
    expect(await db.storedResponse.count({ where: { userId: gw.userId, createdAt: { gte: since } } })).toBe(0);
  }, 120_000);

  it("runs the shell tool call the fake asks for and sends its output back", async () => {
    // With tools and no tool result last in the input, the fake calls the first function tool: Codex's shell.
    for (const provider of providers) gw.fake.setKnobs(provider, { toolCalls: true, text: ANSWER });
    gw.fake.resetStats();
    const result = await runCodex(model, "Look around");
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const sent = upstreamRequests(providers);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    const [first, second] = sent;
    if (upstreamApi === "responses") {
      const shell = (first.tools as Json[]).find((tool) => tool.type === "function")!;
      expect(["exec_command", "shell", "local_shell"]).toContain(shell.name);
      const input = second.input as Json[];
      const call = input.find((item) => item.type === "function_call")!;
      const output = input.find((item) => item.type === "function_call_output")!;
      expect(call).toMatchObject({ name: shell.name });
      expect(output.call_id).toBe(call.call_id);
      expect(typeof output.output === "string" && output.output.length).toBeGreaterThan(0);
    } else {
      const shell = (first.tools as { function: Json }[])[0].function;
      expect(["exec_command", "shell", "local_shell"]).toContain(shell.name);
      const messages = second.messages as {
        role: string;
        tool_calls?: { id: string; function: { name: string } }[];
        tool_call_id?: string;
        content: unknown;
      }[];
      const call = messages.find((m) => m.tool_calls)!.tool_calls![0];
      const output = messages.find((m) => m.role === "tool")!;
      expect(call.function.name).toBe(shell.name);
      expect(output.tool_call_id).toBe(call.id);
      expect(typeof output.content === "string" && output.content.length).toBeGreaterThan(0);
    }
    // Codex ran the command it was given (the fake's arguments: "test", which exits 1) and then finished.
    const commands = result.events.filter((e) => e.type === "item.completed" && e.item?.type === "command_execution").map((e) => e.item!);
    expect(commands.length).toBeGreaterThan(0);
    expect(commands[0]).toMatchObject({ exit_code: 1 });
    expect(commands[0].command).toMatch(/\btest\b/);
    expect(
      result.events
        .filter((e) => e.item?.type === "agent_message")
        .at(-1)
        ?.item?.text?.trim(),
    ).toBe(ANSWER);
  }, 120_000);
});
