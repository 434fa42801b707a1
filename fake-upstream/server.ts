/**
 * The fake upstream HTTP server: routes `/[p/<name>[;k=v...]]/v1/...` (and Gemini's
 * `/v1beta/...`) to the OpenAI, Anthropic or Gemini handlers with the knobs resolved for
 * that provider name, plus the `/_stats` and `/_control` endpoints tests use to steer and
 * inspect it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { handleAnthropicModels, handleCountTokens, handleMessages } from "./anthropic-messages.ts";
import { Exchange } from "./exchange.ts";
import { isRecord } from "./generation.ts";
import { handleCountGeminiTokens, handleGenerateContent, handleGeminiModels } from "./google-gemini.ts";
import { BUILTIN_KNOBS, KnobError, type Knobs, knobsFromHeaders, mergeKnobs, parseKnobObject, parseProviderSegment } from "./knobs.ts";
import { handleChatCompletions, handleOpenAIModels } from "./openai-chat.ts";
import { handleEmbeddings } from "./openai-embeddings.ts";
import { handleResponses } from "./openai-responses.ts";
import { apiKey, authFailure, googleApiKey, matchRoute, protocolOf, redactUrl, SEND_ERROR, statsKind } from "./routes.ts";
import { type FakeStats, redactHeaders, StatsRecorder } from "./stats.ts";

export type { Knobs } from "./knobs.ts";
export type { FakeStats, ProviderStats, RecordedRequest } from "./stats.ts";

export interface FakeUpstreamOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Knobs for every provider name, below `setKnobs`, path and header knobs. */
  defaults?: Partial<Knobs>;
}

export interface FakeUpstream {
  /** `http://host:port`, no trailing slash. OpenAI clients append `/v1`; Anthropic clients use it as is. */
  url: string;
  port: number;
  stats(): FakeStats;
  /** Zeroes the stats and the failTimes counters. */
  resetStats(): void;
  /** Merges knobs for one provider name (`default` for unprefixed paths); resets its failTimes counter. */
  setKnobs(name: string, knobs: Partial<Knobs>): void;
  /** Forgets the stored knobs of one provider name, or of all when no name is given. */
  clearKnobs(name?: string): void;
  /** Stops listening and destroys every open socket, hanging requests included. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 50 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new KnobError("request body too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // Kept raw for the stats; the handlers answer 400 to anything not an object.
  }
}

function sendControl(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const defaults = mergeKnobs(BUILTIN_KNOBS, parseKnobObject(options.defaults ?? {}));
  const stored = new Map<string, Partial<Knobs>>();
  const faultsUsed = new Map<string, number>();
  const recorder = new StatsRecorder();
  const sockets = new Set<Socket>();

  // Takes unknown: the control endpoint passes raw JSON and parseKnobObject validates it.
  const setKnobs = (name: string, knobs: unknown): Partial<Knobs> => {
    const merged = { ...stored.get(name), ...parseKnobObject(knobs) };
    stored.set(name, merged);
    faultsUsed.delete(name);
    return merged;
  };
  const clearKnobs = (name?: string): void => {
    if (name === undefined) {
      stored.clear();
      faultsUsed.clear();
    } else {
      stored.delete(name);
      faultsUsed.delete(name);
    }
  };

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const method = req.method ?? "GET";
    if (path === "/_health") return (sendControl(res, 200, { ok: true }), true);
    if (path === "/_stats" && method === "GET") return (sendControl(res, 200, recorder.snapshot()), true);
    if (path === "/_stats/reset" && method === "POST") {
      recorder.reset();
      faultsUsed.clear();
      return (sendControl(res, 200, { ok: true }), true);
    }
    const control = /^\/_control\/knobs\/([^/]+)$/.exec(path);
    if (!control) return false;
    const name = decodeURIComponent(control[1]);
    try {
      if (method === "GET") {
        const own = stored.get(name) ?? {};
        sendControl(res, 200, { name, knobs: own, effective: mergeKnobs(defaults, own) });
      } else if (method === "POST" || method === "PUT") {
        const knobs = setKnobs(name, parseBody(await readBody(req)));
        sendControl(res, 200, { name, knobs });
      } else if (method === "DELETE") {
        clearKnobs(name);
        sendControl(res, 200, { name, knobs: {} });
      } else {
        sendControl(res, 405, { error: { message: `method ${method} not allowed` } });
      }
    } catch (error) {
      sendControl(res, 400, { error: { message: error instanceof Error ? error.message : String(error) } });
    }
    return true;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? "GET";
    let provider = "default";
    let apiPath = url.pathname;
    let knobError: string | null = null;
    let layers: Partial<Knobs>[] = [];
    try {
      let pathKnobs: Partial<Knobs> = {};
      if (apiPath.startsWith("/p/")) {
        const rest = apiPath.slice("/p/".length);
        const slash = rest.indexOf("/");
        // The name is taken before parsing knobs so even a bad knob is recorded under it.
        provider = decodeURIComponent((slash < 0 ? rest : rest.slice(0, slash)).split(";")[0]) || "default";
        apiPath = slash < 0 ? "/" : rest.slice(slash);
        pathKnobs = parseProviderSegment(slash < 0 ? rest : rest.slice(0, slash)).knobs;
      }
      layers = [stored.get(provider) ?? {}, pathKnobs, knobsFromHeaders(req.headers)];
    } catch (error) {
      knobError = error instanceof Error ? error.message : String(error);
    }

    const googleKey = googleApiKey(req, url) !== null;
    const route = matchRoute(method, apiPath, googleKey);
    const protocol = protocolOf(route, req, apiPath, googleKey);
    const sendError = SEND_ERROR[protocol];

    let body: unknown = null;
    try {
      body = parseBody(await readBody(req));
    } catch (error) {
      knobError = error instanceof Error ? error.message : String(error);
    }
    const knobs = mergeKnobs(defaults, ...layers);
    const stream = route.kind === "gemini" ? route.method === "streamGenerateContent" : isRecord(body) && body.stream === true;
    const stats = recorder.record(
      {
        provider,
        method,
        path: apiPath,
        url: redactUrl(req.url ?? "/"),
        model: isRecord(body) && typeof body.model === "string" ? body.model : null,
        stream,
        headers: redactHeaders(req.headers),
        body,
      },
      statsKind(route),
    );
    const takeFault = (): boolean => {
      if (knobs.failTimes === null) return true;
      const used = faultsUsed.get(provider) ?? 0;
      if (used >= knobs.failTimes) return false;
      faultsUsed.set(provider, used + 1);
      return true;
    };
    const ex = new Exchange(req, res, provider, knobs, body, stats, takeFault);

    if (knobError !== null) return sendError(ex, 400, `fake upstream: ${knobError}`);
    if (route.kind === "not_found") {
      return sendError(ex, 404, `fake upstream: no route for ${method} ${apiPath}`);
    }
    const generation = statsKind(route) !== "other";
    if (generation && !(await ex.sleep(knobs.latencyMs))) return;

    const key = apiKey(req, url);
    if (key === null || (knobs.requireKey !== null && key !== knobs.requireKey)) {
      const failure = authFailure(protocol, key, route.kind === "gemini" && route.vertex);
      return sendError(ex, failure.status, failure.message, failure.extras);
    }

    switch (route.kind) {
      case "chat":
        return handleChatCompletions(ex);
      case "messages":
        return handleMessages(ex);
      case "count_tokens":
        return handleCountTokens(ex);
      case "responses":
        return handleResponses(ex);
      case "embeddings":
        return handleEmbeddings(ex);
      case "gemini":
        if (route.method === "countTokens") return handleCountGeminiTokens(ex);
        return handleGenerateContent(ex, route.model, route.method, url.searchParams.get("alt") === "sse");
      case "gemini_models":
        return handleGeminiModels(ex, route.id, route.version);
      case "models":
        return protocol === "anthropic" ? handleAnthropicModels(ex, route.id) : handleOpenAIModels(ex, route.id);
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake-upstream");
    const run = async (): Promise<void> => {
      if (await handleControl(req, res, url.pathname)) return;
      await handleApi(req, res, url);
    };
    run().catch((error: unknown) => {
      // A bug in the fake must not look like a deliberate fault: say so loudly.
      console.error("fake upstream: handler crashed:", error);
      if (!res.headersSent) sendControl(res, 500, { error: { message: `fake upstream crashed: ${String(error)}` } });
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A deep accept queue (Node's default is 511): load tests open a thousand connections at once,
    // and a provider that drops connects would measure the fake, not the gateway.
    server.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1", backlog: 4096 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake upstream: unexpected server address");
  const host = address.address.includes(":") ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    stats: () => recorder.snapshot(),
    resetStats: () => {
      recorder.reset();
      faultsUsed.clear();
    },
    setKnobs: (name, knobs) => void setKnobs(name, knobs),
    clearKnobs,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging and keep-alive sockets would otherwise keep close() waiting forever.
        for (const socket of sockets) socket.destroy();
      }),
  };
}
