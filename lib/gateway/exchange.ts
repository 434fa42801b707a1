/**
 * One HTTP exchange as the core sees it, whatever server carries it: the request's
 * method, path, headers, a body read once (its byte limit checked before any of it is
 * read) and a signal for the client leaving; the answer's status, headers (built once)
 * and body: bytes, or a stream of chunks the server writes as fast as the client reads.
 * Two doors adapt it: lib/server/node-door.ts (node:http, the production server) and
 * lib/server/web-door.ts (Web Request/Response, for Next's route handlers).
 */
import { GatewayError } from "./errors.ts";

/** Header lookup by lower-case name (Web `Headers` is one). */
export type HeaderLookup = { get(name: string): string | null };

export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly headers: HeaderLookup;
  /** aborted when the client goes away before the answer is complete */
  readonly signal: AbortSignal;
  /** The body's exact bytes, read once; a 413 GatewayError past `maxBytes` (refused from Content-Length before reading). */
  readBody(maxBytes: number): Promise<Buffer>;
  /** Filled by the core for the door's access log, when the door passes one. */
  readonly note?: ExchangeNote;
}

/** What the core learnt about a request that its answer's headers do not say: for the access log, never content or secrets. */
export type ExchangeNote = { keyId?: string; model?: string };

/** Where a streamed answer goes: write() returns false when the client is behind; then wait for drained(). */
export interface ChunkSink {
  write(chunk: string): boolean;
  drained(): Promise<void>;
  end(): void;
}

/** A streamed answer: produced into the door's sink once started; cancel() when the client left. */
export interface StreamBody {
  start(sink: ChunkSink): void;
  cancel(): void;
}

export type AnswerBody = string | Uint8Array | StreamBody | null;

export type Answer = { status: number; headers: Record<string, string>; body: AnswerBody };

export function isStreamBody(body: AnswerBody): body is StreamBody {
  return body !== null && typeof body === "object" && "start" in body;
}

export function requestTooLarge(maxBytes: number): GatewayError {
  return new GatewayError(413, "invalid_params", `Request body is larger than the ${maxBytes}-byte limit`);
}

/** The early refusal: a declared Content-Length past the limit is refused before a byte is read. */
export function checkDeclaredLength(contentLength: string | null | undefined, maxBytes: number): void {
  if (contentLength && Number(contentLength) > maxBytes) throw requestTooLarge(maxBytes);
}

/** An answer's body as bytes (a stream is read to its end): for tests and replays. */
export async function answerBytes(answer: Answer): Promise<Buffer> {
  const { body } = answer;
  if (body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body);
  if (!isStreamBody(body)) return Buffer.from(body);
  const parts: string[] = [];
  await new Promise<void>((resolve) => body.start({ write: (chunk) => parts.push(chunk) > 0, drained: async () => undefined, end: resolve }));
  return Buffer.from(parts.join(""));
}
