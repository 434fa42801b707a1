/**
 * A server the bench runs as a child process in its own process group (so stopping it
 * reaches everything it spawned), started with a command that prints its URL.
 */
import { spawn } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** Raised when a target cannot be run here; the bench reports the reason instead of failing. */
export class Unavailable extends Error {}

export type ChildServer = { pid: number; url: string; output(): string; alive(): boolean; stop(): Promise<void> };

type StartOptions = {
  args: string[];
  env?: Record<string, string>;
  /** Ready when the output matches; the first group is the URL. */
  ready: RegExp | { probeUrl: string };
  timeoutMs: number;
  what: string;
};

/** Spawns `node <args>` and waits until its output says where it listens, or it exits. */
export async function startChildServer(options: StartOptions): Promise<ChildServer> {
  const child = spawn(process.execPath, options.args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
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
  const ready = options.ready;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Unavailable(`${options.what} did not start within ${options.timeoutMs} ms: ${output.slice(-400)}`)),
      options.timeoutMs,
    );
    let started = false;
    const onData = (data: Buffer): void => {
      output = (output + String(data)).slice(-8000);
      const match = started || !(ready instanceof RegExp) ? null : ready.exec(output);
      if (match) {
        started = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    if (!(ready instanceof RegExp)) {
      const probe = async (): Promise<void> => {
        if (!alive()) return;
        const answered = await fetch(ready.probeUrl, { signal: AbortSignal.timeout(1000) }).then(
          (r) => r.ok,
          () => false,
        );
        if (!answered) return void setTimeout(() => void probe(), 100);
        clearTimeout(timer);
        resolve(new URL(ready.probeUrl).origin);
      };
      void probe();
    }
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Unavailable(`${options.what} exited (${code ?? signal}) during start-up: ${output.slice(-400)}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { pid: child.pid!, url, output: () => output, alive, stop };
}
