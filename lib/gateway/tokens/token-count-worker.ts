/**
 * Exact token counts for count_tokens on a worker thread, so tokenizing a large prompt
 * (~70 ms for 150 KB, ~0.5 s for 1 MiB) never stalls the requests sharing the event loop.
 * The tokenizer (o200k_base, ~70 MB once loaded) lives only in the worker: the worker
 * starts with the first count and exits after `idleMs` without one, so a server that is
 * not asked to count carries none of it. Texts below `inlineMaxLength` may be counted on
 * the calling thread instead (off by default: a worker round trip costs the event loop
 * less than tokenizing even a short prompt, and keeps the tokenizer out of its heap).
 *
 * The worker is plain CommonJS evaluated from a string and loads gpt-tokenizer from
 * `resolveFrom` (the app's folder): no separate build step or file path to ship.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { TokenizableParts } from "./tokenizable-parts.ts";
import { partsLength } from "./tokenizable-parts.ts";

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createRequire } = require("node:module");
const { countTokens } = createRequire(workerData.resolveFrom)("gpt-tokenizer/encoding/o200k_base");
parentPort.on("message", ({ id, texts }) => {
  try {
    let tokens = 0;
    for (const text of texts) tokens += countTokens(text);
    parentPort.postMessage({ id, tokens });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});`;

export type TokenCountWorkerOptions = {
  /** the worker exits after this long without a count (default 60 s) */
  idleMs?: number;
  /** a file in the folder gpt-tokenizer is resolved from (default: the working directory) */
  resolveFrom?: string;
  /** texts shorter than this (UTF-16 units in all) are counted inline (default 0: none) */
  inlineMaxLength?: number;
  onError?: (error: Error) => void;
};

export type TokenCountStats = { offThread: number; inline: number; workerStarts: number };

type Pending = { resolve: (tokens: number) => void; reject: (error: Error) => void; worker: Worker };

async function countInline(parts: TokenizableParts): Promise<number> {
  const { countPartsTokens } = await import("./count-tokens.ts");
  return countPartsTokens(parts);
}

export function createTokenCountWorker(options: TokenCountWorkerOptions = {}) {
  const idleMs = options.idleMs ?? 60_000;
  const resolveFrom = options.resolveFrom ?? path.join(process.cwd(), "package.json");
  const inlineMaxLength = options.inlineMaxLength ?? 0;
  const onError = options.onError ?? ((error: Error) => console.error(`count_tokens worker: ${error.message}`));
  const stats: TokenCountStats = { offThread: 0, inline: 0, workerStarts: 0 };
  const pending = new Map<number, Pending>();
  let worker: Worker | null = null;
  /** set when a worker failed (e.g. gpt-tokenizer not found from `resolveFrom`): count inline from then on */
  let unavailable = false;
  let nextId = 1;
  let idleTimer: NodeJS.Timeout | undefined;

  /** Rejects the counts sent to `gone` (not those of a worker started since). */
  function failCountsOf(gone: Worker, error: Error) {
    for (const [id, waiting] of pending) {
      if (waiting.worker !== gone) continue;
      pending.delete(id);
      waiting.reject(error);
    }
  }

  function startWorker(): Worker {
    const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { resolveFrom }, name: "switchyard count_tokens" });
    stats.workerStarts += 1;
    started.on("message", (message: { id: number; tokens?: number; error?: string }) => {
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.error !== undefined) waiting.reject(new Error(message.error));
      else waiting.resolve(message.tokens!);
      if (pending.size === 0) armIdleTimer();
    });
    started.on("error", (error) => {
      onError(new Error(`${error.message}; counting on the main thread from now on`));
      unavailable = true;
      if (worker === started) worker = null;
      failCountsOf(started, error);
    });
    started.on("exit", () => {
      if (worker === started) worker = null;
      failCountsOf(started, new Error("the count_tokens worker exited"));
    });
    // A worker waiting for counts must not keep the process alive.
    started.unref();
    return started;
  }

  function armIdleTimer() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (pending.size > 0 || !worker) return;
      const idle = worker;
      worker = null;
      void idle.terminate();
    }, idleMs);
    idleTimer.unref();
  }

  function countOffThread(parts: TokenizableParts): Promise<number> {
    clearTimeout(idleTimer);
    worker ??= startWorker();
    const id = nextId++;
    const running = worker;
    return new Promise<number>((resolve, reject) => {
      pending.set(id, { resolve: (tokens) => resolve(parts.fixedTokens + tokens), reject, worker: running });
      running.postMessage({ id, texts: parts.texts });
    });
  }

  return {
    /** The exact count of `parts`: on the worker, or inline when small enough or when the worker cannot run. */
    async count(parts: TokenizableParts): Promise<number> {
      if (unavailable || partsLength(parts) < inlineMaxLength) {
        stats.inline += 1;
        return countInline(parts);
      }
      try {
        const tokens = await countOffThread(parts);
        stats.offThread += 1;
        return tokens;
      } catch {
        // A worker that cannot start or died mid-count (reported once, above): the answer still comes, from this thread.
        stats.inline += 1;
        return countInline(parts);
      }
    },
    stats: (): TokenCountStats => ({ ...stats }),
    async close(): Promise<void> {
      clearTimeout(idleTimer);
      const running = worker;
      worker = null;
      await running?.terminate();
    },
  };
}

export type TokenCountWorker = ReturnType<typeof createTokenCountWorker>;
