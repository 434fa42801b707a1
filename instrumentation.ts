/** Runs once when the server starts (Node runtime only): installs the graceful stop and the HTTP timeouts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  (await import("./lib/server/graceful-stop")).installGracefulStop();
  (await import("./lib/server/http-server-timeouts")).installServerTimeouts();
}
