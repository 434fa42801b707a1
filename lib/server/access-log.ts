/**
 * The access log: one line on stdout per API request when its answer ends (method, path
 * without the query, status, model, provider, duration, TTFT, request id, key id), as
 * text or JSON (LOG_FORMAT). Never the key, a credential, a query string or any content.
 * Console pages and other non-API requests are logged at LOG_LEVEL=debug only.
 *
 * scripts/serve.mjs calls `observe` for every request before routing it. Status, request
 * id and provider come from the answer (`x-request-id`, `x-switchyard-provider`); the
 * node door adds what only the core knows (key id, model: the exchange's note) and when
 * the first byte of a stream went out (TTFT). Lines are gathered and written once per
 * event-loop turn, so a busy server makes one stdout write for many requests. Requests
 * Next serves get the same note through an async context (`dispatchWithAccessNote`),
 * which the route-handler door fills in. `next dev` has no such server: no access log.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { processSingleton } from "../process-singleton.ts";
import type { ExchangeNote } from "../gateway/exchange.ts";
import type { AccessLogSettings } from "./access-log-settings.ts";

/** What a door records about one request for its log line. */
export type AccessNote = ExchangeNote & { provider?: string; requestId?: string; startedAt: number; firstByteAt?: number };

export type AccessEntry = {
  time: string;
  method: string;
  path: string;
  /** 499: the client left before any answer was sent */
  status: number;
  model: string | null;
  provider: string | null;
  durationMs: number;
  /** streams only: from the request's arrival to the first byte of the body */
  ttftMs: number | null;
  requestId: string | null;
  keyId: string | null;
};

const API_PREFIXES = ["/api/v1", "/api/anthropic", "/api/vertex-ai"];
const MAX_PATH_CHARS = 512;
const notes = new WeakMap<IncomingMessage, AccessNote>();

/** The note of a request the access log is observing (undefined when it is not logged). */
export function accessNoteOf(req: IncomingMessage): AccessNote | undefined {
  return notes.get(req);
}

/**
 * Requests the server hands to Next (the console, SWITCHYARD_FRONT=next) carry their note
 * in this context, so the route-handler door can fill in what only the core knows. Next
 * compiles instrumentation and each route into separate bundles, each with its own copy
 * of this module: the one store lives on globalThis so they all see it.
 */
const noteContext = processSingleton("switchyardAccessNotes", () => new AsyncLocalStorage<AccessNote>());

/** Runs `dispatch` (Next's handler) with the request's note in context, when the request is logged. */
export function dispatchWithAccessNote(req: IncomingMessage, dispatch: () => void): void {
  const note = notes.get(req);
  if (note) noteContext.run(note, dispatch);
  else dispatch();
}

/** The note of the request a route handler is serving; undefined under `next dev` or when it is not logged. */
export function currentAccessNote(): AccessNote | undefined {
  return noteContext.getStore();
}

export function isApiPath(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function formatAccessEntry(entry: AccessEntry, format: AccessLogSettings["format"]): string {
  if (format === "json") {
    return JSON.stringify({
      time: entry.time,
      level: "info",
      msg: "access",
      method: entry.method,
      path: entry.path,
      status: entry.status,
      model: entry.model,
      provider: entry.provider,
      duration_ms: entry.durationMs,
      ttft_ms: entry.ttftMs,
      request_id: entry.requestId,
      key_id: entry.keyId,
    });
  }
  const field = (value: string | number | null) => (value === null ? "-" : String(value));
  return (
    `${entry.time} access ${entry.method} ${entry.path} ${entry.status} ${entry.durationMs}ms ttft=${entry.ttftMs === null ? "-" : `${entry.ttftMs}ms`}` +
    ` model=${field(entry.model)} provider=${field(entry.provider)} request_id=${field(entry.requestId)} key_id=${field(entry.keyId)}`
  );
}

function headerText(res: ServerResponse, name: string): string | null {
  const value = res.getHeader(name);
  return typeof value === "string" ? value : null;
}

/** One line per finished request, buffered to one stdout write per event-loop turn. */
function lineWriter(write: (text: string) => void): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = `${pending.join("\n")}\n`;
    pending = [];
    write(text);
  };
  process.on("exit", flush);
  return (line) => {
    if (pending.push(line) === 1) setImmediate(flush);
  };
}

/** The observer scripts/serve.mjs calls per request; undefined when nothing is logged at this level. */
export function createAccessLog(settings: AccessLogSettings, write: (text: string) => void = (text) => void process.stdout.write(text)) {
  if (!settings.api && !settings.other) return undefined;
  const emit = lineWriter(write);
  return function observe(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const path = (queryAt < 0 ? url : url.slice(0, queryAt)).slice(0, MAX_PATH_CHARS);
    if (!(isApiPath(path) ? settings.api : settings.other)) return;
    const note: AccessNote = { startedAt: performance.now() };
    notes.set(req, note);
    res.once("close", () => {
      const ended = performance.now();
      emit(
        formatAccessEntry(
          {
            time: new Date().toISOString(),
            method: req.method ?? "GET",
            path,
            status: res.headersSent ? res.statusCode : 499,
            model: note.model ?? null,
            provider: note.provider ?? headerText(res, "x-switchyard-provider"),
            durationMs: round(ended - note.startedAt),
            ttftMs: note.firstByteAt === undefined ? null : round(note.firstByteAt - note.startedAt),
            requestId: note.requestId ?? headerText(res, "x-request-id"),
            keyId: note.keyId ?? null,
          },
          settings.format,
        ),
      );
    });
  };
}
