/**
 * The route-handler door: Next's `app/api/**` handlers (and `next dev`) hand the core a
 * Web Request as an exchange and get its answer back as a Web Response. Production
 * serves the same paths through the node door (node-door.ts); this one keeps a Next-only
 * deployment, `next dev` and SWITCHYARD_FRONT=next behaving identically.
 */
import type { Answer, Exchange, StreamBody } from "../gateway/exchange.ts";
import { checkDeclaredLength, isStreamBody, requestTooLarge } from "../gateway/exchange.ts";
import { currentAccessNote, type AccessNote } from "./access-log.ts";

/** How far a streamed answer may run ahead of a slow client before the relay waits. */
const STREAM_BUFFER_BYTES = 64 * 1024;

/** The body's exact bytes, bounded; 413 when larger than `maxBytes` (from Content-Length before reading). */
export async function readBoundedBytes(request: Request, maxBytes: number): Promise<Buffer> {
  checkDeclaredLength(request.headers.get("content-length"), maxBytes);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw requestTooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

export function exchangeOfRequest(request: Request, note?: AccessNote): Exchange {
  return {
    method: request.method,
    path: new URL(request.url).pathname,
    headers: request.headers,
    signal: request.signal,
    readBody: (maxBytes) => readBoundedBytes(request, maxBytes),
    note,
  };
}

function readableOf(body: StreamBody, note: AccessNote | undefined): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let wake: (() => void) | null = null;
  let done = false;
  const resume = () => {
    wake?.();
    wake = null;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        body.start({
          write(chunk) {
            if (done) return true;
            if (note && note.firstByteAt === undefined) note.firstByteAt = performance.now();
            controller.enqueue(encoder.encode(chunk));
            return (controller.desiredSize ?? 1) > 0;
          },
          drained: () => (done || (controller.desiredSize ?? 1) > 0 ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve))),
          end() {
            if (done) return;
            done = true;
            controller.close();
          },
        });
      },
      pull: resume,
      cancel() {
        done = true;
        resume();
        body.cancel();
      },
    },
    { highWaterMark: STREAM_BUFFER_BYTES, size: (chunk) => chunk.byteLength },
  );
}

export function responseOfAnswer(answer: Answer, note?: AccessNote): Response {
  const { body } = answer;
  return new Response(isStreamBody(body) ? readableOf(body, note) : (body as BodyInit | null), { status: answer.status, headers: answer.headers });
}

/** A core handler as a route handler; under npm start its access-log line gets the key, model and TTFT as the node door's does. */
export function webDoor(handler: (exchange: Exchange) => Promise<Answer>): (request: Request) => Promise<Response> {
  return async (request) => {
    const note = currentAccessNote();
    return responseOfAnswer(await handler(exchangeOfRequest(request, note)), note);
  };
}
