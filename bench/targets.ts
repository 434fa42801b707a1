/**
 * The servers of a bench run besides Switchyard: the fake upstream everything calls, the
 * bare node:http + undici floor, and Portkey's open-source gateway. Each runs as its own
 * process, so its CPU time and memory can be read from /proc and no two of them share an
 * event loop with the load generator.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { freePort } from "../tests/support/switchyard-process.ts";
import { ROOT, startChildServer, Unavailable } from "./child-server.ts";
import { makeAgent, oneRequest, type RequestShape, type Target } from "./load.ts";
import { startRssSampler, type RssSampler } from "./proc-stats.ts";

// BENCH_PORTKEY_START points at another install's start-server.js (e.g. one with other
// dependency versions) without touching the project's node_modules.
const PORTKEY_START = process.env.BENCH_PORTKEY_START?.trim() || path.join(ROOT, "node_modules/@portkey-ai/gateway/build/start-server.js");
const TSX = ["--import", "tsx"];
export const UPSTREAM_KEY = "bench-upstream-key";

export type GatewayKind = "switchyard" | "portkey" | "floor";
export type Gateway = { kind: GatewayKind; target: Target; pid: number; rss: RssSampler; stop(): Promise<void> };

export type FakeProcess = {
  url: string;
  pid: number;
  /** Merges knobs into those stored for one fake provider name. */
  setKnobs(provider: string, knobs: Record<string, unknown>): Promise<void>;
  callsByProvider(): Promise<Record<string, number>>;
  stop(): Promise<void>;
};

export async function startFakeProcess(defaults: { outputTokens: number; ttftMs: number; tokensPerSecond: number }): Promise<FakeProcess> {
  const flags = [
    "--port",
    "0",
    "--output-tokens",
    String(defaults.outputTokens),
    "--ttft-ms",
    String(defaults.ttftMs),
    "--tokens-per-second",
    String(defaults.tokensPerSecond),
  ];
  const server = await startChildServer({
    args: [...TSX, "fake-upstream/main.ts", ...flags],
    ready: /listening on (http:\/\/\S+)/,
    timeoutMs: 30_000,
    what: "the fake upstream",
  });
  return {
    url: server.url,
    pid: server.pid,
    setKnobs: async (provider, knobs) => {
      const response = await fetch(`${server.url}/_control/knobs/${provider}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(knobs),
      });
      if (!response.ok) throw new Error(`setting the fake's knobs failed: HTTP ${response.status} ${await response.text()}`);
    },
    callsByProvider: async () => {
      const stats = (await (await fetch(`${server.url}/_stats`)).json()) as { byProvider: Record<string, { calls: number }> };
      return Object.fromEntries(Object.entries(stats.byProvider).map(([name, s]) => [name, s.calls]));
    },
    stop: server.stop,
  };
}

/**
 * Checks a target with one real call per mode, so one that starts but cannot route is
 * reported, not a wall of errors; also the first, slowest calls of a fresh server.
 */
export async function smokeCheck(target: Target, extra = ""): Promise<void> {
  const shape: RequestShape = { stream: false, prompt: "short", maxTokens: 64 };
  const json = await oneRequest(target, shape, 10_000);
  if (!json.ok) throw new Unavailable(`smoke request failed: ${json.error}`);
  const stream = await oneRequest(target, { ...shape, stream: true }, 10_000);
  if (!stream.ok) target.unavailable = { stream: `streamed smoke request failed: ${stream.error}${extra}` };
}

/**
 * The floor runs in plain node, as Portkey does: a TypeScript loader would add its own
 * memory to the floor's. Node 20 cannot strip types, so the file is transpiled first, into
 * a folder under bench/ so that `undici` resolves from the project's node_modules.
 */
function transpiledFloorProxy(): string {
  const source = readFileSync(path.join(ROOT, "bench/floor-proxy.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const out = path.join(ROOT, "bench/.build/floor-proxy.mjs");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, outputText);
  return out;
}

export async function startFloorProxy(fakeUrl: string, connections: number): Promise<Gateway> {
  const server = await startChildServer({
    args: [transpiledFloorProxy(), `${fakeUrl}/p/floor`],
    ready: /^listening (http:\/\/\S+)/m,
    timeoutMs: 30_000,
    what: "the floor proxy",
  });
  const target: Target = {
    name: "floor",
    url: `${server.url}/v1/chat/completions`,
    headers: { authorization: `Bearer ${UPSTREAM_KEY}` },
    model: "echo",
    agent: makeAgent(connections),
  };
  try {
    await smokeCheck(target);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { kind: "floor", target, pid: server.pid, rss: startRssSampler(server.pid), stop: server.stop };
}

/** Names the one failure we know, from Portkey's own log. */
function knownCause(output: string): string {
  return output.includes("TypeError: immutable")
    ? "; its log says TypeError: immutable, Portkey's known clash with @hono/node-server >= 1.14.2 (it was built against 1.13.5)"
    : "";
}

/**
 * Portkey's Node build: `build/start-server.js --port=N` (only the `=` form is parsed).
 * `--headless` and NODE_ENV=production skip its console UI and log-streaming routes, which
 * a production deployment would not run either.
 */
export async function startPortkeyGateway(fakeUrl: string, connections: number): Promise<Gateway> {
  if (!existsSync(PORTKEY_START)) throw new Unavailable("@portkey-ai/gateway is not installed (npm install)");
  const port = await freePort();
  const server = await startChildServer({
    args: [PORTKEY_START, `--port=${port}`, "--headless"],
    env: { NODE_ENV: "production" },
    ready: { probeUrl: `http://127.0.0.1:${port}/` },
    timeoutMs: 20_000,
    what: "portkey",
  });
  const target: Target = {
    name: "portkey",
    url: `${server.url}/v1/chat/completions`,
    headers: { authorization: `Bearer ${UPSTREAM_KEY}`, "x-portkey-provider": "openai", "x-portkey-custom-host": `${fakeUrl}/p/portkey/v1` },
    model: "echo",
    agent: makeAgent(connections),
  };
  try {
    await smokeCheck(target, knownCause(server.output()));
  } catch (error) {
    await server.stop();
    const reason = error instanceof Error ? error.message : String(error);
    const tail = server.output().trim().split("\n").slice(-3).join(" | ");
    throw new Unavailable(tail ? `${reason} (${tail})` : reason);
  }
  return { kind: "portkey", target, pid: server.pid, rss: startRssSampler(server.pid), stop: server.stop };
}
