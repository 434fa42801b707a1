/**
 * Runs `npm start`'s script as a child process for integration tests, on a free port,
 * and stops it by pid (its whole process group: the server and, while it starts, its
 * preparation child).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The start script, as `npm start` runs it: plain Node, serving in the same process. */
const START_ARGS = ["scripts/serve.mjs"];

export type SwitchyardProcess = {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<number | null>;
  /** SIGKILL to the whole process group (a crash: nothing runs on the way out); resolves when it is gone */
  kill(): Promise<void>;
  /** resolves with the exit code once the server process has exited */
  exited: Promise<number | null>;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs the start script to completion (for start-ups expected to fail). */
export function runStartScript(
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs = 60_000,
  scriptArgs: readonly string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...START_ARGS, ...scriptArgs], { cwd: ROOT, env: { ...process.env, SWITCHYARD_NO_BUILD: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`start script did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** nodeArgs: flags for the serving Node process (the bench's `--cpu-prof`; NODE_OPTIONS refuses it); scriptArgs: the start script's (`--demo`) */
export async function startSwitchyard(
  env: Readonly<Record<string, string | undefined>>,
  readyTimeoutMs = 60_000,
  nodeArgs: readonly string[] = [],
  scriptArgs: readonly string[] = [],
): Promise<SwitchyardProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...START_ARGS, ...scriptArgs], {
    cwd: ROOT,
    // A short shutdown grace: a test that leaves a hanging request behind should not wait 30 s.
    env: { ...process.env, SWITCHYARD_NO_BUILD: "1", SHUTDOWN_GRACE_MS: "3000", ...env, PORT: String(port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const handle: SwitchyardProcess = {
    url,
    pid: child.pid!,
    output: () => output,
    exited,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid!, "SIGKILL");
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      process.kill(-child.pid!, "SIGTERM");
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  let delay = 50;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`switchyard exited with ${child.exitCode} before it was ready:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) return handle;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 500);
  }
  await handle.stop();
  throw new Error(`switchyard was not healthy within ${readyTimeoutMs} ms:\n${output}`);
}
