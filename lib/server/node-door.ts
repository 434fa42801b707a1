/**
 * The production door: the generation paths served straight on node:http, before Next's
 * router. The request is read from the IncomingMessage once (its Content-Length checked
 * first), the answer written with one writeHead and, for a stream, res.write with the
 * socket's backpressure; a client that leaves aborts the upstream. No Web Request,
 * Response or ReadableStream on the way. It also answers the client APIs' unknown paths
 * and wrong methods (api-edges.ts) rather than passing them to Next. scripts/serve.mjs
 * asks the router first and sends everything else to Next; instrumentation.ts hands
 * this module over (it is compiled by Next's build, as the rest of lib/).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { GatewayError } from "../gateway/errors.ts";
import {
  checkDeclaredLength,
  isStreamBody,
  requestTooLarge,
  type Answer,
  type ChunkSink,
  type Exchange,
  type HeaderLookup,
  type StreamBody,
} from "../gateway/exchange.ts";
import { accessNoteOf, type AccessNote } from "./access-log.ts";
import { apiEdgeAnswer, surfaceErrorAnswer } from "./api-edges.ts";
import { API_SURFACES, matchApiPath, type ApiRoute, type CoreRouteName } from "./api-routes.ts";

export type CoreHandler = (exchange: Exchange) => Promise<Answer>;
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

class NodeHeaders implements HeaderLookup {
  constructor(private readonly headers: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  checkDeclaredLength(req.headers["content-length"], maxBytes);
  return new Promise((resolve, reject) => {
    if (req.destroyed) return reject(new GatewayError(400, "invalid_params", "The client closed the connection before sending the whole body"));
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        reject(requestTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onGone = () => {
      cleanup();
      reject(new GatewayError(400, "invalid_params", "The client closed the connection before sending the whole body"));
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onGone);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("close", onGone);
  });
}

function exchangeOf(req: IncomingMessage, path: string, signal: AbortSignal, note: AccessNote | undefined): Exchange {
  return { method: req.method ?? "GET", path, headers: new NodeHeaders(req.headers), signal, readBody: (maxBytes) => readBody(req, maxBytes), note };
}

function pipeStream(res: ServerResponse, body: StreamBody, note: AccessNote | undefined): void {
  let gone = false;
  res.on("close", () => {
    if (res.writableFinished) return;
    gone = true;
    body.cancel();
  });
  const sink: ChunkSink = {
    write: (chunk) => {
      if (note && note.firstByteAt === undefined) note.firstByteAt = performance.now();
      return gone || res.write(chunk);
    },
    drained: () =>
      gone || !res.writableNeedDrain
        ? Promise.resolve()
        : new Promise((resolve) => {
            const done = () => {
              res.off("drain", done);
              res.off("close", done);
              resolve();
            };
            res.on("drain", done);
            res.on("close", done);
          }),
    end: () => {
      if (!gone) res.end();
    },
  };
  body.start(sink);
}

export function writeAnswer(res: ServerResponse, answer: Answer, refusedEarly = false, note?: AccessNote): void {
  const { body } = answer;
  // writeHead(status, headers) keeps no copy the access log could read back.
  if (note) {
    note.requestId = answer.headers["x-request-id"];
    note.provider = answer.headers["x-switchyard-provider"];
  }
  // A body refused before it was read is not read afterwards either: the connection closes.
  if (refusedEarly) res.shouldKeepAlive = false;
  if (isStreamBody(body)) {
    res.writeHead(answer.status, answer.headers);
    pipeStream(res, body, note);
    return;
  }
  // A known length: no chunked encoding for a body sent whole.
  answer.headers["content-length"] = String(body === null ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
  res.writeHead(answer.status, answer.headers);
  res.end(body ?? undefined);
}

/**
 * One core handler on node:http. `errorAnswer` formats a failure of the door itself in
 * the handler's protocol (the core answers its own errors).
 */
export function nodeDoor(handler: CoreHandler, errorAnswer: (error: GatewayError) => Answer): NodeHandler {
  return (req, res) => {
    const aborter = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) aborter.abort();
    });
    const path = req.url ?? "/";
    const queryAt = path.indexOf("?");
    const note = accessNoteOf(req);
    handler(exchangeOf(req, queryAt < 0 ? path : path.slice(0, queryAt), aborter.signal, note)).then(
      (answer) => writeAnswer(res, answer, answer.status === 413 && !req.complete, note),
      (error: Error) => {
        console.error(`gateway: the node door failed: ${error.message}`);
        if (!res.headersSent)
          writeAnswer(res, errorAnswer(new GatewayError(500, "internal_server_error", "Something went wrong in the gateway; the error was logged.")));
        else res.destroy();
      },
    );
  };
}

/** The paths the node door serves, by method and path (query strings aside). */
export type NodeRoutes = Record<string, NodeHandler>;

/**
 * The production router: the generation paths of api-routes.ts on node:http, every other
 * request under an API prefix that no route handler serves (unknown path, wrong method,
 * OPTIONS, probes) answered by api-edges.ts, and the rest left to Next.
 */
export function createNodeRouter(handlers: Record<CoreRouteName, CoreHandler>) {
  // Exact paths in a table; a path with a catch-all (the Gemini surface's models/{model}:method) found through the route table.
  const table: NodeRoutes = {};
  const byPattern = new Map<ApiRoute, NodeHandler>();
  for (const surface of API_SURFACES) {
    for (const route of surface.routes) {
      if (!route.core || !route.methods.includes("POST")) continue;
      const door = nodeDoor(handlers[route.core], (error) => surfaceErrorAnswer(surface.protocol, error));
      if (route.path.includes("[...")) byPattern.set(route, door);
      else table[`POST ${route.path}`] = door;
    }
  }
  /** The handler for this request, or undefined for Next to serve it. */
  return function route(req: IncomingMessage): NodeHandler | undefined {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const door = table[`${method} ${path}`];
    if (door) return door;
    if (!path.startsWith("/api/")) return undefined;
    const edge = apiEdgeAnswer(method, path);
    if (edge) return (_req, res) => writeAnswer(res, edge);
    // No edge answer: a served route (or a path Next redirects); a catch-all route's POST is the core's.
    if (method !== "POST" || path.endsWith("/")) return undefined;
    const matched = matchApiPath(path)?.route;
    return matched ? byPattern.get(matched) : undefined;
  };
}
