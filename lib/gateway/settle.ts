/**
 * The end of every request that got as far as choosing candidates: the endpoint's
 * health sample and the generation record (cost included). Never throws.
 */
import type { Candidate } from "./routing/candidate.ts";
import type { ContentCapture } from "./content-capture.ts";
import type { GatewayError } from "./errors.ts";
import type { IdempotencySession } from "./idempotency.ts";
import type { Metering } from "./metering/metering.ts";
import { generationRecordOf } from "./outcome-record.ts";
import { settleTokens, type RateLimitGrant } from "./rate-limit/rate-limit-gate.ts";
import type { AttemptRecord, GatewayDeps, GatewayPrincipal, GenerationRecord } from "./ports/gateway-deps.ts";
import type { ParsedRequest } from "./surfaces/types.ts";

export type RequestContext = {
  deps: GatewayDeps;
  api: GenerationRecord["api"];
  now: () => number;
  id: string;
  receivedAt: number;
  principal: GatewayPrincipal;
  parsed: ParsedRequest;
  /** the catalog model the request named (through an alias, a bare name or a pin), once resolved */
  resolvedModelSlug?: string;
  attempts: AttemptRecord[];
  /** the reservation held for this request (its id is the generation id), if any */
  reservation: { amountNanoUsd: bigint } | null;
  /** this request's claim on the client's Idempotency-Key, if it sent one */
  idempotency: IdempotencySession | null;
  /** set when the account stores request and response bodies */
  capture: ContentCapture | null;
  /** tells the shutdown drain this request is done; called once it has settled */
  release: () => void;
  /** the token reservation taken from the rate limits, and the x-ratelimit-* headers every answer carries */
  rateLimit: { grant: RateLimitGrant; headers: Record<string, string> };
  /** a stream was handed to the client: the request ends when the stream settles */
  streaming?: boolean;
};

export type Outcome = {
  candidate: Candidate | null;
  status: GenerationRecord["status"];
  httpStatus: number;
  error?: GatewayError | null;
  finishReason?: string | null;
  metering?: Metering | null;
  ttftMs?: number | null;
  throughput?: number | null;
};

/**
 * Charges what the outcome cost (nothing for failures) and releases the hold; durable
 * before it resolves. False when the hold had been closed already: crash recovery took
 * this request as orphaned, charged its last checkpoint and wrote its record.
 */
async function settleCharge(ctx: RequestContext, outcome: Outcome, record: GenerationRecord): Promise<boolean> {
  if (!ctx.reservation) return true;
  // Whatever was produced is billed (a finished answer, an abandoned or broken stream);
  // a failure before the first byte has no metering and costs nothing.
  const cost = outcome.metering?.cost.totalNanoUsd ?? 0n;
  // Keyed by the generation, never by the client's Idempotency-Key: every served call is
  // charged exactly once, and crash recovery charges a checkpoint under the same key.
  return (await ctx.deps.billing.settle({ reservationId: ctx.id, costNanoUsd: cost, idempotencyKey: `charge:${ctx.id}`, generationId: ctx.id, record }))
    .settled;
}

export async function settle(ctx: RequestContext, outcome: Outcome): Promise<void> {
  // Built before the charge so it travels with it: a crash before the sink's batch lands loses no record.
  const record = generationRecordOf(ctx, outcome, { withContent: true });
  let settledHere = true;
  try {
    settledHere = await settleCharge(ctx, outcome, record);
  } catch (error) {
    // The reservation stays open and the sweeper releases it; the record still gets written.
    console.error(`billing: settling ${ctx.id} failed: ${(error as Error).message}`);
  }
  ctx.idempotency?.settled(outcome.status === "success");
  // The token budget keeps what was used (prompt and output); a failure before the first byte used nothing.
  const used = outcome.metering ? outcome.metering.promptTokens + outcome.metering.completionTokens : 0;
  await settleTokens(ctx.deps.rateLimits.counter, ctx.rateLimit.grant, used, ctx.now()).catch((error: Error) =>
    console.error(`rate limits: settling ${ctx.id} failed: ${error.message}`),
  );
  const { candidate } = outcome;
  if (candidate) {
    if (outcome.status === "success")
      ctx.deps.health.recordSuccess(candidate.endpoint.id, { ttftMs: outcome.ttftMs ?? undefined, tokensPerSecond: outcome.throughput ?? undefined });
    else if (outcome.status === "error" && outcome.httpStatus >= 500) ctx.deps.health.recordFailure(candidate.endpoint.id);
    else ctx.deps.health.breaker(candidate.endpoint.id).release();
  }
  // Recovery wrote the record that matches its charge; a second one would contradict it.
  if (settledHere) ctx.deps.sink.record(record);
  else console.error(`billing: ${ctx.id} was recovered as orphaned before it settled (this instance was taken for dead); charged its last checkpoint`);
  ctx.release();
}

export function responseHeaders(ctx: Pick<RequestContext, "id" | "rateLimit">, candidate: Candidate | null): Record<string, string> {
  return { ...ctx.rateLimit.headers, "x-request-id": ctx.id, ...(candidate ? { "x-switchyard-provider": candidate.endpoint.provider.slug } : {}) };
}
