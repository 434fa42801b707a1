/**
 * The graceful stop: on SIGTERM/SIGINT the gateway drains its requests and writes its
 * last records before the process exits. The start script sets NEXT_MANUAL_SIG_HANDLE,
 * so Next leaves these signals to us (its own handler would exit before the last batch).
 */
export function installGracefulStop(): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    // The start script forwards the signal its process group also got: act once.
    if (stopping) return;
    stopping = true;
    try {
      const { drainGateway } = await import("./gateway.ts");
      await drainGateway(signal);
    } catch (error) {
      console.error(`switchyard: graceful stop failed: ${(error as Error).message}`);
    }
    process.exit(0);
  };
  process.on("SIGTERM", (signal) => void stop(signal));
  process.on("SIGINT", (signal) => void stop(signal));
}
