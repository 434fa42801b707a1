/**
 * Notices catalog changes made by other instances (or the CLI) within about one poll:
 * every `intervalMs` it reads a cheap fingerprint of the catalog tables and calls
 * `onChange` when it moved. Edits on this instance invalidate the snapshot directly;
 * this is for everyone else. Storage-free, so tests drive it with a fake reader.
 */
export type ChangeWatchOptions = {
  readFingerprint: () => Promise<string>;
  onChange: () => void;
  intervalMs: number;
  onError?: (error: Error) => void;
};

export function createChangeWatch(options: ChangeWatchOptions) {
  let last: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  /** One round; the first only records the baseline. Exposed for tests. */
  async function poll(): Promise<boolean> {
    const fingerprint = await options.readFingerprint();
    const changed = last !== undefined && fingerprint !== last;
    last = fingerprint;
    if (changed) options.onChange();
    return changed;
  }

  function start() {
    if (timer) return;
    timer = setInterval(() => {
      if (running) return;
      running = true;
      poll()
        .catch((error: Error) => (options.onError ?? ((e: Error) => console.error(`catalog change watch: ${e.message}`)))(error))
        .finally(() => (running = false));
    }, options.intervalMs);
    timer.unref();
  }

  function stop() {
    clearInterval(timer);
    timer = undefined;
  }

  return { poll, start, stop };
}
