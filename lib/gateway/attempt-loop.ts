/**
 * Tries candidates in order until one answers. Before the first byte reaches the
 * client, a connect error, a timeout, a saturated connection pool, 408, 429, 5xx/529,
 * a redirect, a non-JSON body, or an empty or error-first stream moves on to the next
 * candidate. A 400/422 is the client's problem and is returned as is. Once a stream's
 * first event is accepted the choice is final (the relay never fails over).
 *
 * One first-token deadline per attempt covers everything before that first event:
 * waiting for a pooled connection, connecting, the response headers and the event.
 */
import type { EndpointHealth } from "./health/endpoint-health.ts";
import type { AttemptRecord } from "./ports/gateway-deps.ts";
import type { Candidate } from "./routing/candidate.ts";
import { adapterFor } from "./providers/registry.ts";
import type { ProviderAdapter, UpstreamRequest } from "./providers/types.ts";
import { redactSecrets } from "./redact.ts";
import { eventJson, type SseEvent } from "./sse.ts";
import { upstreamEvents, upstreamJson } from "./upstream/upstream-wire.ts";
import { isClientFault, statusForErrorEvent } from "./upstream/upstream-error.ts";
import { TransportError, type UpstreamTransport } from "./transport/transport.ts";

export type AttemptSuccess =
  | { kind: "json"; candidate: Candidate; body: Record<string, unknown> }
  | {
      kind: "stream";
      candidate: Candidate;
      first: SseEvent;
      events: AsyncGenerator<SseEvent>;
      abort: () => void;
      /** An error event later in the stream, with the credential redacted (a provider may echo it); other events unchanged. */
      redactError: (event: SseEvent) => SseEvent;
    };

export type AttemptResult =
  | AttemptSuccess
  | { kind: "client_error"; candidate: Candidate; status: number; body: string; contentType: string }
  /** lastStatus: what the last failure means to a client, always 4xx/5xx (or null: no HTTP answer) */
  | { kind: "failed"; lastStatus: number | null; lastBody: string | null; lastCandidate: Candidate | null; allTimeouts: boolean }
  | { kind: "aborted" };

export type AttemptContext = {
  candidates: Candidate[];
  buildBody: (candidate: Candidate) => Record<string, unknown>;
  clientHeaders?: { anthropicVersion?: string; anthropicBeta?: string };
  stream: boolean;
  /** "embeddings": the adapter's embeddings endpoint instead of its generation endpoint (never streamed) */
  operation?: "generation" | "embeddings";
  credentialFor: (candidate: Candidate) => string;
  transport: UpstreamTransport;
  health: EndpointHealth;
  firstTokenTimeoutMs: number;
  clientSignal: AbortSignal;
  now: () => number;
  attempts: AttemptRecord[];
};

const MAX_ERROR_BODY = 64 * 1024;
const MAX_JSON_BODY = 64 * 1024 * 1024;

class AttemptFailure extends Error {
  /** The status a client gets for this failure: an upstream's 2xx/3xx is never passed on as one. */
  readonly clientStatus: number | null;

  constructor(
    readonly status: AttemptRecord["status"],
    /** what the upstream answered, as recorded in the attempt chain */
    readonly httpStatus: number | null,
    readonly errorType: string,
    message: string,
    readonly body: string | null = null,
    clientStatus?: number,
  ) {
    super(message);
    this.clientStatus = clientStatus ?? (httpStatus === null ? null : httpStatus >= 400 ? httpStatus : 502);
  }
}

async function readText(body: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw new AttemptFailure("error", null, "provider_error", `response larger than ${limit} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** One deadline for several steps: `race` resolves a step or rejects with a timeout failure once `ms` have passed since the start. */
function startDeadline(ms: number, onTimeout: () => void) {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        onTimeout();
        reject(new AttemptFailure("timeout", null, "provider_timeout", `no first token within ${ms} ms`));
      },
      Math.max(0, ms),
    );
  });
  // A step that settles first leaves the deadline's rejection unobserved.
  expired.catch(() => undefined);
  return {
    race: <T>(promise: Promise<T>) => Promise.race([promise, expired]),
    clear: () => clearTimeout(timer),
  };
}

/** An error in any protocol's stream (Responses' response.failed carries its error inside `response`). */
function isErrorEvent(event: SseEvent): boolean {
  if (event.event === "error") return true;
  if (!event.data.startsWith("{")) return false;
  const parsed = eventJson(event) as { error?: unknown; type?: string } | null | undefined;
  if (parsed === undefined) return true;
  return parsed !== null && (parsed.error !== undefined || parsed.type === "error" || parsed.type === "response.failed");
}

function embeddingsRequest(adapter: ProviderAdapter, candidate: Candidate, credential: string, body: Record<string, unknown>): UpstreamRequest {
  // Candidates are filtered by protocol first (planCandidates), so this is a catalog/adapter mismatch.
  if (!adapter.buildEmbeddingsRequest)
    throw new AttemptFailure("error", null, "provider_error", `provider ${candidate.endpoint.provider.slug} (${adapter.kind}) serves no embeddings`);
  return adapter.buildEmbeddingsRequest({ endpoint: candidate.endpoint, credential, body });
}

async function attempt(
  candidate: Candidate,
  ctx: AttemptContext,
  hasAlternative: boolean,
): Promise<AttemptSuccess | Extract<AttemptResult, { kind: "client_error" }>> {
  const adapter = adapterFor(candidate.endpoint.provider.adapter)!;
  const credential = ctx.credentialFor(candidate);
  const upstream =
    ctx.operation === "embeddings"
      ? embeddingsRequest(adapter, candidate, credential, ctx.buildBody(candidate))
      : adapter.buildRequest({
          endpoint: candidate.endpoint,
          credential,
          body: ctx.buildBody(candidate),
          stream: ctx.stream,
          clientHeaders: ctx.clientHeaders,
        });
  const controller = new AbortController();
  const onClientAbort = () => controller.abort();
  ctx.clientSignal.addEventListener("abort", onClientAbort, { once: true });
  const deadline = startDeadline(ctx.firstTokenTimeoutMs, () => controller.abort());
  try {
    const response = await deadline.race(
      ctx.transport.send(upstream, {
        signal: controller.signal,
        headersTimeoutMs: ctx.firstTokenTimeoutMs,
        checkDestination: candidate.endpoint.provider.source === "admin",
        failIfSaturated: hasAlternative,
      }),
    );
    if (response.status >= 400) {
      const text = redactSecrets(await deadline.race(readText(response.body, MAX_ERROR_BODY).catch(() => "")), [credential]);
      const contentType = String(response.headers["content-type"] ?? "application/json");
      if (response.status === 400 || response.status === 422) {
        if (isClientFault(adapter.protocol, text)) return { kind: "client_error", candidate, status: response.status, body: text, contentType };
        // A refusal of the gateway's own provider account: the client's request is fine.
        throw new AttemptFailure("error", response.status, "provider_error", `upstream answered ${response.status} about the provider account`, text, 502);
      }
      throw new AttemptFailure("error", response.status, "provider_error", `upstream answered ${response.status}`, text);
    }
    // Redirects are never followed (the credential would go along), and a 3xx is no answer.
    if (response.status >= 300)
      throw new AttemptFailure("error", response.status, "provider_redirect", `upstream answered ${response.status} (redirects are not followed)`);
    if (!ctx.stream) {
      const text = await deadline.race(readText(response.body, MAX_JSON_BODY));
      try {
        return { kind: "json", candidate, body: upstreamJson(adapter, text) };
      } catch {
        throw new AttemptFailure("error", response.status, "provider_error", "upstream answered with a body that is not JSON");
      }
    }
    const events = upstreamEvents(adapter, response.body);
    const first = await deadline.race(events.next());
    if (first.done) throw new AttemptFailure("error", response.status, "provider_error", "upstream stream ended before its first event");
    if (isErrorEvent(first.value)) {
      const data = redactSecrets(first.value.data, [credential]);
      throw new AttemptFailure("error", response.status, "provider_error", "upstream stream began with an error", data, statusForErrorEvent(data));
    }
    const redactError = (event: SseEvent) => (isErrorEvent(event) ? { ...event, data: redactSecrets(event.data, [credential]) } : event);
    return { kind: "stream", candidate, first: first.value, events, abort: () => controller.abort(), redactError };
  } catch (error) {
    controller.abort();
    if (error instanceof AttemptFailure) throw error;
    if (error instanceof TransportError) {
      if (error.kind === "aborted" && ctx.clientSignal.aborted) throw new AttemptFailure("aborted", null, "client_aborted", "the client went away");
      if (error.kind === "saturated") throw new AttemptFailure("error", null, "provider_saturated", error.message);
      throw new AttemptFailure(
        error.kind === "timeout" ? "timeout" : "error",
        null,
        error.kind === "timeout" ? "provider_timeout" : "provider_unreachable",
        error.message,
      );
    }
    if (ctx.clientSignal.aborted) throw new AttemptFailure("aborted", null, "client_aborted", "the client went away");
    throw new AttemptFailure("error", null, "provider_error", redactSecrets((error as Error).message, [credential]));
  } finally {
    deadline.clear();
    ctx.clientSignal.removeEventListener("abort", onClientAbort);
  }
}

export async function runAttempts(ctx: AttemptContext): Promise<AttemptResult> {
  let lastStatus: number | null = null;
  let lastBody: string | null = null;
  let lastCandidate: Candidate | null = null;
  let allTimeouts = true;
  const skipped: Candidate[] = [];
  const tryOne = async (candidate: Candidate, force: boolean, hasAlternative: boolean): Promise<AttemptResult | null> => {
    const breaker = ctx.health.breaker(candidate.endpoint.id);
    if (!breaker.tryAcquire() && !force) {
      skipped.push(candidate);
      return null;
    }
    const seq = ctx.attempts.length + 1;
    const startedAt = ctx.now();
    const record = (status: AttemptRecord["status"], httpStatus: number | null, errorType: string | null, errorMessage: string | null, served: boolean) =>
      ctx.attempts.push({
        seq,
        providerSlug: candidate.endpoint.provider.slug,
        endpointId: candidate.endpoint.id,
        status,
        httpStatus,
        errorType,
        errorMessage,
        durationMs: ctx.now() - startedAt,
        served,
        startedAt: new Date(startedAt),
      });
    try {
      const result = await attempt(candidate, ctx, hasAlternative);
      if (result.kind === "client_error") {
        breaker.release();
        record("error", result.status, "upstream_client_error", `upstream answered ${result.status}`, false);
        return result;
      }
      record("success", 200, null, null, true);
      return result;
    } catch (error) {
      const failure = error as AttemptFailure;
      if (failure.status === "aborted") {
        breaker.release();
        record("aborted", null, failure.errorType, failure.message, false);
        return { kind: "aborted" };
      }
      // A full local connection pool says nothing about the provider's health.
      if (failure.errorType === "provider_saturated") breaker.release();
      else ctx.health.recordFailure(candidate.endpoint.id);
      record(failure.status, failure.httpStatus, failure.errorType, failure.message, false);
      lastStatus = failure.clientStatus;
      lastBody = failure.body;
      lastCandidate = candidate;
      if (failure.status !== "timeout") allTimeouts = false;
      return null;
    }
  };
  for (const [index, candidate] of ctx.candidates.entries()) {
    const result = await tryOne(candidate, false, index < ctx.candidates.length - 1 || skipped.length > 0);
    if (result) return result;
    if (ctx.clientSignal.aborted) return { kind: "aborted" };
  }
  // Every other candidate failed: circuit-open ones get their chance rather than a refusal.
  for (const [index, candidate] of skipped.entries()) {
    const result = await tryOne(candidate, true, index < skipped.length - 1);
    if (result) return result;
  }
  return { kind: "failed", lastStatus, lastBody, lastCandidate, allTimeouts: allTimeouts && ctx.attempts.length > 0 };
}
