/**
 * Call accounting, so tests can assert how many upstream calls a gateway made and
 * exactly what it sent (headers with keys redacted, parsed body).
 */
import type { IncomingHttpHeaders } from "node:http";

export interface ProviderStats {
  /** Every request to an API path (generation, count_tokens, models, unknown paths). */
  calls: number;
  /** `POST /v1/chat/completions` calls. */
  chat: number;
  /** `POST /v1/messages` calls (count_tokens excluded). */
  messages: number;
  /** `POST /v1/responses` calls. */
  responses: number;
  /** Gemini `generateContent` and `streamGenerateContent` calls (countTokens excluded). */
  gemini: number;
  /** `POST /v1/embeddings` calls. */
  embeddings: number;
  /** Requests with `"stream": true`, and Gemini `streamGenerateContent` calls. */
  streamed: number;
  /** Error statuses, injected cuts, error-first and empty streams. */
  failed: number;
  /** The client went away (or the server closed) before the response was complete. */
  aborted: number;
  /** Requests whose response has not closed yet. */
  inFlight: number;
}

export interface RecordedRequest {
  provider: string;
  method: string;
  /** The API path with any `/p/<name>;knobs` prefix and query removed, e.g. `/v1/messages`. */
  path: string;
  /** The request target as received. */
  url: string;
  model: string | null;
  stream: boolean;
  /** Lower-case names; `authorization` and `x-api-key` are reduced to `***` + last 4 chars. */
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text if it was not JSON, or null when empty. */
  body: unknown;
}

export interface FakeStats {
  total: number;
  byProvider: Record<string, ProviderStats>;
  /** The last 50 requests, oldest first. */
  lastRequests: RecordedRequest[];
}

/** The generation calls counted on their own; "other" is models, count_tokens and unknown paths. */
export type CallKind = "chat" | "messages" | "responses" | "gemini" | "embeddings" | "other";

const MAX_RECORDED = 50;
const SECRET_HEADERS = new Set(["authorization", "x-api-key", "x-goog-api-key"]);

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    out[name] = SECRET_HEADERS.has(name) ? `***${text.slice(-4)}` : text;
  }
  return out;
}

function emptyProviderStats(): ProviderStats {
  return { calls: 0, chat: 0, messages: 0, responses: 0, gemini: 0, embeddings: 0, streamed: 0, failed: 0, aborted: 0, inFlight: 0 };
}

export class StatsRecorder {
  #total = 0;
  #byProvider = new Map<string, ProviderStats>();
  #lastRequests: RecordedRequest[] = [];

  provider(name: string): ProviderStats {
    let stats = this.#byProvider.get(name);
    if (!stats) {
      stats = emptyProviderStats();
      this.#byProvider.set(name, stats);
    }
    return stats;
  }

  record(request: RecordedRequest, kind: CallKind): ProviderStats {
    this.#total += 1;
    const stats = this.provider(request.provider);
    stats.calls += 1;
    if (kind !== "other") stats[kind] += 1;
    if (request.stream) stats.streamed += 1;
    stats.inFlight += 1;
    this.#lastRequests.push(request);
    if (this.#lastRequests.length > MAX_RECORDED) this.#lastRequests.shift();
    return stats;
  }

  /** A deep copy: callers may keep or mutate it without affecting the recorder. */
  snapshot(): FakeStats {
    return structuredClone({
      total: this.#total,
      byProvider: Object.fromEntries(this.#byProvider),
      lastRequests: this.#lastRequests,
    });
  }

  /**
   * Zeroes the counters but keeps in-flight requests counted: their responses will
   * still close and decrement, and the counter must not go negative.
   */
  reset(): void {
    this.#total = 0;
    this.#lastRequests = [];
    for (const [name, stats] of this.#byProvider) {
      if (stats.inFlight === 0) this.#byProvider.delete(name);
      // In place: in-flight requests hold this object to decrement it when they close.
      else Object.assign(stats, { ...emptyProviderStats(), inFlight: stats.inFlight });
    }
  }
}
