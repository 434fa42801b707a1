/** Runs once when the server starts (Node runtime only): the graceful stop, the HTTP timeouts, this instance's heartbeat and hold sweeper, and the node door. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  (await import("./lib/server/graceful-stop")).installGracefulStop();
  (await import("./lib/server/http-server-timeouts")).installServerTimeouts();
  // Not while `next build` loads the app: a build is not a running instance.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  (await import("./lib/server/instance-liveness")).startInstanceLiveness();
  // For scripts/serve.mjs, which serves the generation paths on node:http before Next's router.
  (await import("./lib/server/node-front")).handOverNodeDoor();
}
