/**
 * `npm start`: one long-lived plain-Node process that serves Switchyard.
 *
 * 1. Prepares the instance in a short-lived child (`node --import tsx scripts/prepare.ts`:
 *    migrations, catalog, AUTH_SECRET, the build), which hands back the server's
 *    environment on file descriptor 3 and exits. tsx and the preparation's modules are
 *    never in the serving process.
 * 2. Serves in this process: Next's request handler (`next({ dev: false })`) for pages and
 *    every API, except the generation paths, which the node door (lib/server/node-door.ts,
 *    compiled by Next's build and handed over by instrumentation.ts) serves on node:http
 *    before Next's router. SWITCHYARD_FRONT=next sends those through Next's route handlers
 *    too (the Web door), as `next dev` and a Next-only deployment serve them.
 *
 * Demo mode (`--demo` or SWITCHYARD_DEMO=1) first starts the fake upstream as a child
 * (scripts/demo-upstream.ts) on a free loopback port; the preparation writes the demo
 * catalog over it (lib/demo/). The child exits with this process, however it ends.
 *
 * Supervisors see one pid for the server's life; SIGTERM/SIGINT drain it
 * (lib/server/graceful-stop.ts); a failed start exits 1. `npm start` runs this with
 * `exec`, so the signal npm forwards reaches this process, not only npm's shell.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const log = (message) => console.log(`switchyard: ${message}`);

/** Runs the preparation; resolves with the server's environment and timeouts, or the exit code of a failed start. */
function prepare() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/prepare.ts")], {
      cwd: root,
      stdio: ["inherit", "inherit", "inherit", "pipe"],
    });
    let handedOver = "";
    child.stdio[3].setEncoding("utf8");
    child.stdio[3].on("data", (text) => (handedOver += text));
    // A stop during preparation stops the preparation (it may be migrating): it exits, then so do we.
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("close", (code) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      if (code === 0 && handedOver) resolve(JSON.parse(handedOver));
      else resolve({ code: code ?? 1 });
    });
  });
}

/** `--demo` or SWITCHYARD_DEMO: true, false, or a message for a value that is neither. */
function demoRequested() {
  const raw = process.env.SWITCHYARD_DEMO?.trim().toLowerCase() ?? "";
  const fromEnv = ["1", "true", "on", "yes"].includes(raw) ? true : ["", "0", "false", "off", "no"].includes(raw) ? false : null;
  if (fromEnv === null) return `SWITCHYARD_DEMO must be 1 or 0 (true/false), got "${process.env.SWITCHYARD_DEMO}"`;
  return fromEnv || process.argv.slice(2).includes("--demo");
}

/** Starts demo mode's fake upstream; resolves with its origin, or null when it could not start. */
function startDemoUpstream() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/demo-upstream.ts")], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    // However this process ends (exit, a failed start, a crash), the fake goes with it; a
    // SIGKILL closes the IPC channel, which the fake takes as its cue.
    process.on("exit", () => child.kill("SIGKILL"));
    child.once("message", (message) => resolve(message.url));
    child.once("exit", () => resolve(null));
  });
}

async function serve() {
  const port = Number(process.env.PORT?.trim() || "3000");
  const hostname = process.env.HOST?.trim() || undefined;
  const front = process.env.SWITCHYARD_FRONT?.trim() || "node";
  if (front !== "node" && front !== "next") {
    console.error(`switchyard: SWITCHYARD_FRONT must be "node" or "next", got "${front}"`);
    return 1;
  }

  const demo = demoRequested();
  if (typeof demo === "string") {
    console.error(`switchyard: ${demo}`);
    return 1;
  }
  if (demo) {
    // The fake accepts only this credential; made up per start unless set (tests set a canary).
    process.env.DEMO_UPSTREAM_API_KEY ||= `demo-${randomBytes(12).toString("hex")}`;
    const upstream = await startDemoUpstream();
    if (!upstream) {
      console.error("switchyard: demo mode: the fake upstream did not start (see above)");
      return 1;
    }
    process.env.SWITCHYARD_DEMO = "1";
    process.env.SWITCHYARD_DEMO_UPSTREAM = upstream;
    log(`demo mode: fake upstream on ${upstream}`);
  } else delete process.env.SWITCHYARD_DEMO;

  const prepared = await prepare();
  if (!prepared.env) return prepared.code;
  Object.assign(process.env, prepared.env);

  // Imported only now: Next reads NODE_ENV and the rest when it loads.
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: root, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  // In production Next runs instrumentation.ts (the graceful stop, this instance's liveness,
  // the node door) on its first request; run it now, so all of it is in place before any.
  try {
    const { ensureInstrumentationRegistered } = require("next/dist/server/lib/router-utils/instrumentation-globals.external.js");
    await ensureInstrumentationRegistered(root, ".next");
  } catch (error) {
    log(`instrumentation runs on the first request (${error.message})`);
  }

  const server = createServer((req, res) => {
    const nodeFront = globalThis.switchyardNodeFront;
    // The access log (lib/server/access-log.ts): one line per API request when it ends.
    nodeFront?.observe?.(req, res);
    // Until instrumentation.ts has run, Next's route handlers serve every path (the same core).
    const route = front === "node" ? nodeFront?.route(req) : undefined;
    if (route) route(req, res);
    // Next's route handlers fill in the log line's model and key through the request's async context.
    else if (nodeFront) nodeFront.dispatchWithAccessNote(req, () => void handle(req, res));
    else void handle(req, res);
  });
  server.keepAliveTimeout = prepared.timeouts.keepAliveTimeoutMs;
  server.headersTimeout = prepared.timeouts.headersTimeoutMs;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, resolve);
  });
  log(
    `serving on http://${hostname ?? "localhost"}:${port} (generation paths through the ${front === "node" ? "node" : "route-handler"} door)${demo ? " in DEMO MODE" : ""}`,
  );
  // The process lives as long as the server; the graceful stop (instrumentation.ts) exits it.
  return new Promise(() => undefined);
}

serve().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`switchyard: start failed: ${error.message}`);
    process.exit(1);
  },
);
