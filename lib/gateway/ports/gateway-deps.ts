/**
 * What the gateway core needs from the rest of the application, as interfaces. The
 * server wires them to the database-backed services (lib/gateway-server.ts); tests
 * wire them to fakes. Nothing here imports Next or Prisma.
 */
import type { CatalogSnapshot, ProviderView } from "../catalog-view/catalog-types.ts";
import type { Principal } from "../principal.ts";
import type { BillingPort } from "./billing.ts";
import type { EndpointHealth } from "../health/endpoint-health.ts";
import type { HeaderLookup } from "../exchange.ts";
import type { CapturedContent } from "../content-capture.ts";
import type { RateCounter } from "./rate-counter.ts";
import type { RateLimitSettings } from "../rate-limit/rate-limit-rules.ts";
import type { RequestDrain } from "../request-drain.ts";
import type { UpstreamTransport } from "../transport/transport.ts";
import type { TokenizableParts } from "../tokens/tokenizable-parts.ts";

export type GatewayPrincipal = Principal;

export type AttemptRecord = {
  seq: number;
  providerSlug: string;
  endpointId: string;
  status: "success" | "error" | "timeout" | "aborted";
  httpStatus: number | null;
  errorType: string | null;
  errorMessage: string | null;
  durationMs: number;
  served: boolean;
  startedAt: Date;
};

/**
 * The protocols a call can be spoken in, as records name them: the client's (`api`) and the
 * served upstream's (`upstreamApi`). One vocabulary for both, so "passed through" is equality.
 */
export const WIRE_APIS = ["chat", "messages", "responses", "embeddings", "generate_content"] as const;
export type WireApi = (typeof WIRE_APIS)[number];

export type GenerationRecord = {
  id: string;
  userId: string;
  apiKeyId: string | null;
  api: "chat" | "messages" | "responses" | "embeddings" | "generate_content";
  /** the protocol the serving upstream spoke; null when no upstream served (absent on records checkpointed before it was kept) */
  upstreamApi?: WireApi | null;
  requestedModel: string;
  modelSlug: string | null;
  providerSlug: string | null;
  endpointId: string | null;
  streamed: boolean;
  status: "success" | "error" | "aborted";
  httpStatus: number;
  errorType: string | null;
  errorMessage: string | null;
  finishReason: string | null;
  promptTokens: number;
  completionTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costNanoUsd: bigint;
  /** JSON per generation-record.ts's costBreakdownSchema */
  costBreakdown: string | null;
  ttftMs: number | null;
  latencyMs: number | null;
  throughput: number | null;
  createdAt: Date;
  attempts: AttemptRecord[];
  /** request and response bodies, only when the account opted in */
  content?: CapturedContent | null;
};

export interface GenerationSink {
  /** Called once per request, off the response path; must not throw. */
  record(generation: GenerationRecord): void;
}

export type GatewayConfig = {
  maxRequestBytes: number;
  firstTokenTimeoutMs: number;
  keepAliveIntervalMs: number;
  /** cap on each stored body for accounts that store content (default 256 KiB) */
  contentMaxBytes?: number;
  /** how often a running stream's usage so far is made durable for crash recovery (default 5 s; 0 turns it off) */
  streamCheckpointMs?: number;
  /** the largest body count_tokens tokenizes (its count runs a tokenizer; default 1 MiB) */
  countTokensMaxBytes?: number;
  /** cap on an answer kept for Idempotency-Key replays (default 1 MiB) */
  idempotencyMaxBytes?: number;
};

/** An answer as the client got it, kept so a retry with the same Idempotency-Key gets it again. */
export type StoredAnswer = { status: number; headers: Record<string, string>; body: Uint8Array | null };

export type IdempotencyRecordView = { requestHash: string; state: "running" | "completed"; generationId: string; answer: StoredAnswer | null };

/**
 * Idempotency-Key records, one per (account, key). A claim is owned by its generation id:
 * only that request may renew, complete or release it, so an owner that lost its claim
 * (it stopped renewing and another request took it over) changes nothing.
 */
export interface IdempotencyStore {
  /** Takes the key for this request (no record, or only an expired one), or returns the live record holding it. */
  claim(input: {
    userId: string;
    key: string;
    requestHash: string;
    generationId: string;
    now: Date;
    expiresAt: Date;
    lockExpiresAt: Date;
  }): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecordView }>;
  /** Extends a running claim's lock; false when this request no longer holds it. */
  renew(input: { userId: string; key: string; generationId: string; lockExpiresAt: Date }): Promise<boolean>;
  /** Marks the claim completed with the answer to replay (body null when it was too large to keep). */
  complete(input: { userId: string; key: string; generationId: string; answer: StoredAnswer }): Promise<void>;
  /** Drops a running claim, so a retry runs anew. */
  release(input: { userId: string; key: string; generationId: string }): Promise<void>;
}

/** A stored response's conversation: what a continuation (Responses' previous_response_id) builds on. */
export type StoredConversation = { id: string; inputItems: Record<string, unknown>[]; outputItems: Record<string, unknown>[] };

/** A served answer to keep, as the response store writes it (expiry is the store's policy). */
export type KeptResponse = StoredConversation & { userId: string; apiKeyId: string | null; model: string; createdAt: Date; response: Record<string, unknown> };

/** One response about to be kept: reads of its id wait until it is kept or dropped. */
export type PendingResponse = { keep(response: KeptResponse): void; drop(): void };

/**
 * Stored answers (lib/responses/response-store.ts). Writes happen off the answer's path,
 * but a response is announced (begin) before the client can see its id, and reads of an
 * announced id wait for its write, so a client continuing at once finds it on this instance.
 */
export interface ResponseStore {
  /** This account's unexpired stored response, or null (unknown, expired, deleted, or another account's). */
  conversation(id: string, userId: string): Promise<StoredConversation | null>;
  begin(id: string): PendingResponse;
}

/** Exact token counts for count_tokens, off the serving thread (tokens/token-count-worker.ts). */
export type TokenCounter = { count(parts: TokenizableParts): Promise<number> };

/** Request and token budgets: the counters (memory or Redis) and the admin's settings (read often, cached). */
export type RateLimitDeps = { counter: RateCounter; settings(): Promise<RateLimitSettings> };

export type GatewayDeps = {
  authenticate(request: { headers: HeaderLookup }): Promise<GatewayPrincipal>;
  catalog(): Promise<CatalogSnapshot>;
  credentialFor(provider: ProviderView): string | null;
  health: EndpointHealth;
  transport: UpstreamTransport;
  sink: GenerationSink;
  billing: BillingPort;
  rateLimits: RateLimitDeps;
  idempotency: IdempotencyStore;
  config: GatewayConfig;
  /** counts requests in flight for a graceful shutdown (lib/server/gateway.ts) */
  drain?: RequestDrain;
  /** stored Responses answers; without one, nothing is kept and every previous_response_id is unknown */
  responses?: ResponseStore;
  /** count_tokens' tokenizer; without one, counts run inline on the calling thread */
  tokenCounter?: TokenCounter;
  now?: () => number;
  newId?: () => string;
};
