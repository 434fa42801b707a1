/**
 * `npm start` stops cleanly when the signal goes to npm itself (a supervisor or a shell
 * that knows only npm's pid): npm runs the start script through `sh -c`, and before the
 * script was `exec`ed the shell died and left the server holding the port. In demo mode,
 * so the fake upstream child is checked too.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { freePort } from "@/tests/support/switchyard-process";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every live descendant of a pid, from /proc (zombies count as gone: they hold no port). */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z") parents.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

const isListening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

it("SIGTERM to npm's pid frees the port within seconds and leaves no child behind", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-npm-signal-"));
  const port = await freePort();
  const npm = spawn("npm", ["start", "--", "--demo"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dir,
      DATABASE_URL: "",
      CATALOG_FILE: "",
      AUTH_SECRET: "",
      SWITCHYARD_NO_BUILD: "1",
      SHUTDOWN_GRACE_MS: "3000",
    },
    // Its own process group, so the test can clean up if it fails; the signal goes to npm's pid only.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  npm.stdout!.on("data", (d) => (output += d));
  npm.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
  try {
    const healthy = await until(async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200;
      } catch {
        return false;
      }
    }, 100_000);
    expect(healthy, output).toBe(true);
    const fakePort = Number(/demo mode: fake upstream on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    expect(await isListening(fakePort)).toBe(true);
    const children = descendants(npm.pid!);
    // npm's child is the server itself (exec'ed, no shell in between) and the fake under it.
    expect(children.length).toBeGreaterThanOrEqual(2);

    process.kill(npm.pid!, "SIGTERM");
    expect(await until(async () => !(await isListening(port)), 5000), output).toBe(true);
    expect(await until(async () => !(await isListening(fakePort)), 5000)).toBe(true);
    expect(await until(() => children.every((pid) => !isAlive(pid)), 5000), `alive: ${children.filter(isAlive).join(", ")}`).toBe(true);
    await exited;
  } finally {
    try {
      process.kill(-npm.pid!, "SIGKILL");
    } catch {
      // all gone, as expected
    }
    rmSync(dir, { recursive: true, force: true });
  }
}, 150_000);
