/**
 * Demo mode's fake upstream, a child of scripts/serve.mjs: the fake provider
 * (fake-upstream/server.ts) on a free loopback port, accepting only the demo's credential.
 * It tells its parent the address over the IPC channel and lives exactly as long as the
 * parent: it exits when the channel closes (the parent exited, crashed or was killed) and
 * ignores SIGINT/SIGTERM, which the parent's graceful stop handles while streams may still
 * be reading from this fake.
 */
import { DEMO_FLAKY_PERIOD_MS, DEMO_FLAKY_PROVIDER } from "../lib/demo/demo-catalog.ts";
import { startFakeUpstream } from "../fake-upstream/server.ts";

async function main(): Promise<void> {
  if (!process.send) throw new Error("demo-upstream runs as a child of scripts/serve.mjs (an IPC channel is needed)");
  const credential = process.env.DEMO_UPSTREAM_API_KEY?.trim() || null;
  const upstream = await startFakeUpstream({ port: 0, host: "127.0.0.1", defaults: { requireKey: credential } });
  // The flaky provider fails its next few calls every period (its base URL sets failTimes).
  const flaky = setInterval(() => upstream.setKnobs(DEMO_FLAKY_PROVIDER, {}), DEMO_FLAKY_PERIOD_MS);
  flaky.unref();
  const stop = () => {
    clearInterval(flaky);
    upstream.close().finally(() => process.exit(0));
  };
  process.on("disconnect", stop);
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => undefined);
  process.send({ url: upstream.url });
}

main().catch((error: unknown) => {
  console.error(`demo upstream: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
