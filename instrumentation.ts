/** Runs once when the server starts (Node runtime only): installs the graceful stop. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") (await import("./lib/server/graceful-stop")).installGracefulStop();
}
