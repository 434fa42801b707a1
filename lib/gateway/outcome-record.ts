/** A request's outcome as its generation record: written when it settles, and checkpointed while a stream runs. */
import { costBreakdownJson } from "./metering/metering.ts";
import type { GenerationRecord } from "./ports/gateway-deps.ts";
import { upstreamApiOf } from "./providers/upstream-api.ts";
import type { Outcome, RequestContext } from "./settle.ts";

/** `withContent: false` leaves the bodies out (a checkpoint stores none). */
export function generationRecordOf(ctx: RequestContext, outcome: Outcome, options: { withContent: boolean }): GenerationRecord {
  const { candidate, metering } = outcome;
  const usage = metering?.usage;
  return {
    id: ctx.id,
    userId: ctx.principal.userId,
    apiKeyId: ctx.principal.keyId,
    api: ctx.api,
    upstreamApi: candidate ? upstreamApiOf(ctx.api, candidate.endpoint.provider.adapter) : null,
    requestedModel: ctx.parsed.model,
    // A call no provider served still belongs to the model it resolved to, not to the
    // alias or pin the client sent: usage and the dashboard group by this.
    modelSlug: candidate?.model.slug ?? ctx.resolvedModelSlug ?? null,
    providerSlug: candidate?.endpoint.provider.slug ?? null,
    endpointId: candidate?.endpoint.id ?? null,
    streamed: ctx.parsed.stream,
    status: outcome.status,
    httpStatus: outcome.httpStatus,
    errorType: outcome.error?.type ?? null,
    errorMessage: outcome.error?.message ?? null,
    finishReason: outcome.finishReason ?? null,
    promptTokens: metering?.promptTokens ?? 0,
    completionTokens: metering?.completionTokens ?? 0,
    cacheReadTokens: usage?.cacheReadTokens ?? 0,
    cacheWriteTokens: (usage?.cacheWriteTokens ?? 0) + (usage?.cacheWrite1hTokens ?? 0),
    reasoningTokens: usage?.reasoningTokens ?? 0,
    costNanoUsd: metering?.cost.totalNanoUsd ?? 0n,
    costBreakdown: metering ? costBreakdownJson(metering.cost) : null,
    ttftMs: outcome.ttftMs ?? null,
    latencyMs: ctx.now() - ctx.receivedAt,
    throughput: outcome.throughput ?? null,
    createdAt: new Date(ctx.receivedAt),
    // A copy: the attempt list is still the request's own while a stream runs.
    attempts: [...ctx.attempts],
    content: options.withContent ? (ctx.capture?.result() ?? null) : null,
  };
}
