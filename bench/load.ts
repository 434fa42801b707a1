/**
 * The load generator: chat completion requests at a fixed concurrency against one target
 * for a fixed time (or number of requests), timed per request (latency, and time to the
 * first content chunk for streams), plus the percentile stats the report is built from.
 */
import { Agent, request } from "undici";
import { largePromptMessages } from "./large-prompt.ts";

export type Target = {
  name: string;
  url: string;
  headers: Record<string, string>;
  model: string;
  /** One keep-alive pool per target, so no target pays for another's connections. */
  agent: Agent;
  /** Why this target cannot be measured in a mode (found by a smoke request); such cells are skipped. */
  unavailable?: { json?: string; stream?: string };
};

/** What each request of a cell asks for. */
export type RequestShape = {
  stream: boolean;
  /** "short": one line; "large": a coding agent's ~150 KB conversation. */
  prompt: "short" | "large";
  maxTokens: number;
};

export type CellOptions = RequestShape & {
  concurrency: number;
  /** No new request starts after this many were sent. */
  requests: number;
  /** Nor after this long, so a cell lasts about as long on a fast target as on a slow one. */
  maxMs: number;
  requestTimeoutMs: number;
};

export type CellSamples = {
  latenciesMs: number[];
  ttftsMs: number[];
  errors: number;
  /** The first few distinct error messages, to tell a broken target from a slow one. */
  errorSamples: string[];
  sent: number;
  elapsedMs: number;
};

export type Summary = { n: number; p50: number; p99: number; mean: number };

export function makeAgent(connections = 128): Agent {
  // As many connections as the highest concurrency: the client's pool is never the bottleneck.
  return new Agent({ connections, keepAliveTimeout: 30_000, pipelining: 1 });
}

/** Nearest-rank percentile of an ascending-sorted array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((sum, v) => sum + v, 0) / sorted.length : Number.NaN;
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

const bodies = new Map<string, string>();

/** Serialized once per shape and model: building 150 KB of JSON per request would load the client, not the target. */
function requestBody(model: string, shape: RequestShape): string {
  const cacheKey = `${model}|${shape.stream}|${shape.prompt}|${shape.maxTokens}`;
  let body = bodies.get(cacheKey);
  if (body === undefined) {
    const messages = shape.prompt === "large" ? largePromptMessages() : [{ role: "user", content: "Say something short for the benchmark." }];
    body = JSON.stringify({ model, stream: shape.stream, max_tokens: shape.maxTokens, messages });
    bodies.set(cacheKey, body);
  }
  return body;
}

/** True when one SSE `data:` payload is a chunk carrying non-empty content (not the role chunk). */
function hasContent(payload: string): boolean {
  if (payload === "[DONE]") return false;
  try {
    const chunk = JSON.parse(payload) as { choices?: { delta?: { content?: unknown } }[] };
    const content = chunk.choices?.[0]?.delta?.content;
    return typeof content === "string" && content.length > 0;
  } catch {
    return false;
  }
}

export type Outcome = { ok: true; latencyMs: number; ttftMs: number | null } | { ok: false; error: string };

/** One request, validated the way the load validates it (also used as a smoke test). */
export async function oneRequest(target: Target, shape: RequestShape, timeoutMs: number): Promise<Outcome> {
  const { stream } = shape;
  const body = requestBody(target.model, shape);
  const started = performance.now();
  try {
    const response = await request(target.url, {
      method: "POST",
      dispatcher: target.agent,
      headers: { "content-type": "application/json", ...target.headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.statusCode !== 200) {
      const text = await response.body.text();
      return { ok: false, error: `HTTP ${response.statusCode}: ${text.slice(0, 160)}` };
    }
    if (!stream) {
      const json = (await response.body.json()) as { choices?: { message?: { content?: unknown } }[] };
      if (typeof json.choices?.[0]?.message?.content !== "string") return { ok: false, error: "reply without choices[0].message.content" };
      return { ok: true, latencyMs: performance.now() - started, ttftMs: null };
    }
    // Parse SSE lines as they arrive: TTFT is when the first content delta is readable.
    let ttftMs: number | null = null;
    let done = false;
    let pending = "";
    for await (const chunk of response.body) {
      pending += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const raw of lines) {
        const line = raw.trimEnd();
        if (!line.startsWith("data:")) continue; // comments (keep-alives), event names, blank lines
        const payload = line.slice(5).trim();
        if (payload === "[DONE]") done = true;
        else if (ttftMs === null && hasContent(payload)) ttftMs = performance.now() - started;
      }
    }
    if (!done) return { ok: false, error: "stream ended without [DONE]" };
    if (ttftMs === null) return { ok: false, error: "stream had no content chunk" };
    return { ok: true, latencyMs: performance.now() - started, ttftMs };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** Runs one cell: `concurrency` workers pull from a shared budget of requests until it or the deadline runs out. */
export async function runCell(target: Target, options: CellOptions): Promise<CellSamples> {
  const samples: CellSamples = { latenciesMs: [], ttftsMs: [], errors: 0, errorSamples: [], sent: 0, elapsedMs: 0 };
  const started = performance.now();
  const deadline = started + options.maxMs;
  const worker = async (): Promise<void> => {
    while (samples.sent < options.requests && performance.now() < deadline) {
      samples.sent += 1;
      const outcome = await oneRequest(target, options, options.requestTimeoutMs);
      if (outcome.ok) {
        samples.latenciesMs.push(outcome.latencyMs);
        if (outcome.ttftMs !== null) samples.ttftsMs.push(outcome.ttftMs);
      } else {
        samples.errors += 1;
        if (samples.errorSamples.length < 3 && !samples.errorSamples.includes(outcome.error)) samples.errorSamples.push(outcome.error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  samples.elapsedMs = performance.now() - started;
  return samples;
}
