/**
 * Starting and stopping the gateways under test — Switchyard (as tests run it: the start
 * script with a throwaway data folder, catalog, account and key) and Portkey's open-source
 * gateway — and sampling the resident memory of each one's process tree.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createUser } from "../lib/auth/user-service.ts";
import { createDb } from "../lib/db/client.ts";
import { createApiKeyInputSchema } from "../lib/keys/api-key-input.ts";
import { createApiKey } from "../lib/keys/api-key-service.ts";
import { freePort, startSwitchyard } from "../tests/support/switchyard-process.ts";
import { makeAgent, oneRequest, type Target } from "./load.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
// BENCH_PORTKEY_START points at another install's start-server.js (e.g. one with other
// dependency versions) without touching the project's node_modules.
const PORTKEY_START = process.env.BENCH_PORTKEY_START?.trim() || path.join(ROOT, "node_modules/@portkey-ai/gateway/build/start-server.js");
export const BENCH_MODEL = "bench/echo";

export type RssReport = { startKb: number; peakKb: number; peakLargestKb: number; largestCommand: string; samples: number };
export type RssSampler = { stop(): RssReport };
export type Gateway = { target: Target; pid: number; rss: RssSampler; stop(): Promise<void> };

/** Parent pid of every live process, from /proc/<pid>/stat (the comm field may hold spaces and parens). */
function parentPids(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

function treeOf(root: number): number[] {
  const children = parentPids();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

function rssKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function commandOf(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    // next-server sets its process title, which leaves a single argv entry.
    return argv.length === 1 ? argv[0] : argv.slice(1, 3).map((arg) => path.basename(arg)).join(" ");
  } catch {
    return "?";
  }
}

/**
 * Samples the summed VmRSS of the tree rooted at `root` every 100 ms. The tree is re-read
 * only every second: scanning /proc is the costly part, and it runs in the same process
 * as the load generator.
 */
export function startRssSampler(root: number): RssSampler {
  let tree = treeOf(root);
  let ticks = 0;
  const report: RssReport = { startKb: 0, peakKb: 0, peakLargestKb: 0, largestCommand: "", samples: 0 };
  const sample = (): void => {
    if (ticks++ % 10 === 0) tree = treeOf(root);
    let total = 0;
    for (const pid of tree) {
      const kb = rssKb(pid);
      total += kb;
      if (kb > report.peakLargestKb) {
        report.peakLargestKb = kb;
        report.largestCommand = commandOf(pid);
      }
    }
    if (report.samples++ === 0) report.startKb = total;
    report.peakKb = Math.max(report.peakKb, total);
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return report;
    },
  };
}

const price = (prompt: number, completion: number) => ({
  prompt: [{ value: prompt, unit: "perMTokens", currency: "USD" }],
  completion: [{ value: completion, unit: "perMTokens", currency: "USD" }],
});

/** Switchyard with one provider (the fake, as provider name `bench`) and one model, like tests/support/gateway-fixture.ts. */
export async function startSwitchyardGateway(fakeUrl: string): Promise<Gateway> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-"));
  const catalogFile = path.join(dir, "catalog.json");
  writeFileSync(
    catalogFile,
    JSON.stringify({
      providers: [{ slug: "bench", name: "Bench fake", adapter: "openai", baseUrl: `${fakeUrl}/p/bench/v1`, apiKeyEnv: "BENCH_UPSTREAM_API_KEY" }],
      models: [
        {
          id: BENCH_MODEL,
          name: "Bench echo",
          contextLength: 8000,
          capabilities: { tools: true, json: true },
          endpoints: [{ provider: "bench", name: "bench_ep", upstreamModel: "echo", pricings: price(1, 2) }],
        },
      ],
    }),
  );
  const dbTarget = { kind: "sqlite" as const, url: `file:${path.join(dir, "db.sqlite")}`, filePath: path.join(dir, "db.sqlite") };
  let server: Awaited<ReturnType<typeof startSwitchyard>> | null = null;
  try {
    server = await startSwitchyard({ DATA_DIR: dir, DATABASE_URL: dbTarget.url, CATALOG_FILE: catalogFile, BENCH_UPSTREAM_API_KEY: "bench-upstream-key" });
    const db = createDb(dbTarget);
    try {
      const user = await createUser(db, { email: "bench@example.com", password: "long enough bench password" });
      const { key } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "bench" }), new Set([BENCH_MODEL]));
      const running = server;
      return {
        target: { name: "switchyard", url: `${server.url}/api/v1/chat/completions`, headers: { authorization: `Bearer ${key}` }, model: BENCH_MODEL, agent: makeAgent() },
        pid: server.pid,
        rss: startRssSampler(server.pid),
        stop: async () => {
          await running.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } finally {
      await db.$disconnect();
    }
  } catch (error) {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Raised when Portkey cannot be run here; the bench reports the reason instead of failing. */
export class Unavailable extends Error {}

async function untilReady(url: string, isAlive: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Unavailable("exited during start-up");
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Unavailable(`not answering ${url} within ${timeoutMs} ms`);
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
export async function startPortkeyGateway(fakeUrl: string): Promise<Gateway> {
  if (!existsSync(PORTKEY_START)) throw new Unavailable("@portkey-ai/gateway is not installed (npm install)");
  const port = await freePort();
  const child = spawn(process.execPath, [PORTKEY_START, `--port=${port}`, "--headless"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production" },
    detached: true, // its own process group, so stop() reaches anything it spawns
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output = (output + String(d)).slice(-4000)));
  child.stderr.on("data", (d) => (output = (output + String(d)).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const stop = async (): Promise<void> => {
    if (!alive() || child.pid === undefined) return;
    const group = -child.pid;
    process.kill(group, "SIGTERM");
    const timer = setTimeout(() => {
      try {
        process.kill(group, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const base = `http://127.0.0.1:${port}`;
  const target: Target = {
    name: "portkey",
    url: `${base}/v1/chat/completions`,
    headers: { authorization: "Bearer bench-upstream-key", "x-portkey-provider": "openai", "x-portkey-custom-host": `${fakeUrl}/p/portkey/v1` },
    model: "echo",
    agent: makeAgent(),
  };
  try {
    await untilReady(`${base}/`, alive, 20_000);
    // Real calls, so a Portkey that starts but cannot route is "unavailable", not a wall of errors.
    const json = await oneRequest(target, false, 10_000);
    if (!json.ok) throw new Unavailable(`smoke request failed: ${json.error}`);
    const stream = await oneRequest(target, true, 10_000);
    if (!stream.ok) target.unavailable = { stream: `streamed smoke request failed: ${stream.error}${knownCause(output)}` };
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    const tail = output.trim().split("\n").slice(-3).join(" | ");
    throw new Unavailable(tail ? `${reason} (${tail})` : reason);
  }
  return { target, pid: child.pid!, rss: startRssSampler(child.pid!), stop };
}
