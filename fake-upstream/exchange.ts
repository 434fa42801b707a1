/**
 * One request/response pair plus the protocol-independent fault machinery (latency,
 * hang, cuts, injected statuses, pacing), so the protocol modules only build bodies.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import type { Knobs } from "./knobs.ts";
import type { ProviderStats } from "./stats.ts";

export interface ErrorExtras {
  param?: string | null;
  code?: string | null;
  /** Google's `error.details` (ErrorInfo, RetryInfo). */
  details?: unknown[];
  headers?: Record<string, string>;
}

/** Writes an error in one protocol's shape; marks the call failed. */
export type SendError = (ex: Exchange, status: number, message?: string, extras?: ErrorExtras) => void;

/** One SSE frame, already serialised; `content` frames are paced, counted and cut after. */
export interface Frame {
  text: string;
  content: boolean;
}

export class Exchange {
  /** True once this call was chosen to misbehave (the failTimes budget allowed it). */
  faulty = false;
  readonly signal: AbortSignal;
  #failed = false;
  #cutByUs = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly provider: string,
    readonly knobs: Knobs,
    readonly body: unknown,
    readonly stats: ProviderStats,
    /** Consumes one unit of the provider's failTimes budget; false when it is spent. */
    readonly takeFault: () => boolean,
  ) {
    const controller = new AbortController();
    this.signal = controller.signal;
    res.on("close", () => {
      stats.inFlight -= 1;
      if (res.writableFinished) return;
      // The client left (or close() destroyed the socket): stop producing.
      controller.abort();
      if (!this.#cutByUs) stats.aborted += 1;
    });
  }

  markFailed(): void {
    if (this.#failed) return;
    this.#failed = true;
    this.stats.failed += 1;
  }

  /** Destroys the socket on purpose: counted as failed, not as a client abort. */
  cut(): void {
    this.#cutByUs = true;
    this.markFailed();
    this.req.socket.destroy();
  }

  /** Resolves false if the exchange was aborted before or during the wait. */
  async sleep(ms: number): Promise<boolean> {
    if (this.signal.aborted) return false;
    if (ms <= 0) return true;
    try {
      await delay(ms, undefined, { signal: this.signal });
      return true;
    } catch {
      return false;
    }
  }

  /** Resolves once the data is handed to the socket, so a following cut cannot drop it. */
  write(text: string): Promise<boolean> {
    if (this.signal.aborted || this.res.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(false);
      this.signal.addEventListener("abort", onAbort, { once: true });
      this.res.write(text, (error) => {
        this.signal.removeEventListener("abort", onAbort);
        resolve(!error);
      });
    });
  }

  sendJson(status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (this.res.destroyed || this.res.headersSent) return;
    if (status >= 400) this.markFailed();
    const text = JSON.stringify(body);
    this.res.writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
      ...headers,
    });
    this.res.end(text);
  }
}

function hasFault(knobs: Knobs, stream: boolean): boolean {
  return (
    knobs.failStatus !== null ||
    knobs.hang ||
    knobs.cut !== null ||
    knobs.redirectStatus !== null ||
    knobs.garbageBody ||
    (stream && (knobs.emptyStream || knobs.errorFirstEvent))
  );
}

/**
 * Applies the faults that happen before any body: hang, cut "before", failStatus,
 * redirectStatus, garbageBody.
 * Returns true when the exchange is fully handled. Stream-level faults (cut "mid",
 * emptyStream, errorFirstEvent) are left to the caller via `ex.faulty`.
 */
export function applyFaults(ex: Exchange, stream: boolean, sendError: SendError): boolean {
  const { knobs } = ex;
  if (!hasFault(knobs, stream) || !ex.takeFault()) return false;
  ex.faulty = true;
  if (knobs.hang) return true;
  if (knobs.cut === "before") {
    ex.cut();
    return true;
  }
  if (knobs.failStatus !== null) {
    const headers: Record<string, string> = {};
    if (knobs.failStatus === 429) headers["retry-after"] = "1";
    if (knobs.retryAfterMs !== null) headers["retry-after-ms"] = String(knobs.retryAfterMs);
    sendError(ex, knobs.failStatus, knobs.failMessage ?? undefined, { headers });
    return true;
  }
  if (knobs.redirectStatus !== null) {
    ex.markFailed();
    ex.res.writeHead(knobs.redirectStatus, { location: "/elsewhere", "content-type": "text/plain" }).end("Redirecting to /elsewhere");
    return true;
  }
  if (knobs.garbageBody) {
    ex.markFailed();
    ex.res.writeHead(200, { "content-type": "text/html" }).end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    return true;
  }
  return false;
}

/** Non-stream 200: waits as long as streaming would have taken, honours cut "mid". */
export async function sendResult(ex: Exchange, body: unknown, contentChunks: number, headers: Record<string, string>): Promise<void> {
  const { ttftMs, tokensPerSecond } = ex.knobs;
  const generation = tokensPerSecond > 0 ? (Math.max(0, contentChunks - 1) * 1000) / tokensPerSecond : 0;
  if (!(await ex.sleep(ttftMs + generation))) return;
  if (ex.faulty && (ex.knobs.cut === "mid" || ex.knobs.cut === "error")) {
    const text = JSON.stringify(body);
    ex.res.writeHead(200, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
      ...headers,
    });
    // Half a body under a full content-length: the client sees a truncated response.
    if (await ex.write(text.slice(0, Math.floor(text.length / 2)))) ex.cut();
    return;
  }
  ex.sendJson(200, body, headers);
}

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
};

/**
 * Streams frames: headers at once, the first frame after ttftMs, content frames paced
 * at tokensPerSecond (scheduled from the first one so timer drift does not add up).
 * errorFrame: the protocol's error event, sent instead of destroying the socket at an "error" cut.
 */
export async function playStream(
  ex: Exchange,
  frames: Frame[],
  headers: Record<string, string>,
  errorFrame?: (message: string | null) => string,
): Promise<void> {
  const { knobs } = ex;
  ex.res.writeHead(200, { ...SSE_HEADERS, ...headers });
  ex.res.flushHeaders();
  if (!(await ex.sleep(knobs.ttftMs))) return;

  const cutAfter = ex.faulty && (knobs.cut === "mid" || knobs.cut === "error") ? knobs.cutAfterChunks : Number.POSITIVE_INFINITY;
  const cut = async () => {
    if (knobs.cut !== "error" || !errorFrame) return ex.cut();
    ex.markFailed();
    if (await ex.write(errorFrame(knobs.failMessage))) ex.res.end();
  };
  const interval = knobs.tokensPerSecond > 0 ? 1000 / knobs.tokensPerSecond : 0;
  let sent = 0;
  let firstAt = 0;
  if (sent >= cutAfter) return cut();
  for (const frame of frames) {
    if (frame.content && sent > 0 && interval > 0) {
      if (!(await ex.sleep(firstAt + sent * interval - performance.now()))) return;
    }
    if (!(await ex.write(frame.text))) return;
    if (!frame.content) continue;
    if (sent === 0) firstAt = performance.now();
    sent += 1;
    if (sent >= cutAfter) return cut();
  }
  // A "mid" cut must happen even when the reply had fewer content chunks than cutAfter.
  if (Number.isFinite(cutAfter)) return cut();
  ex.res.end();
}
