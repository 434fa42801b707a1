/**
 * One call's record as GET /api/v1/generation returns it: ZenMux's fields
 * (reference/zenmux-docs/api/platform/get-generation.md) plus what Switchyard knows
 * and ZenMux does not return: the provider, the attempt chain, and the cost at once.
 */
import { z } from "zod";
import { formatNanoUsd } from "../gateway/metering/money.ts";
import type { AttemptRecord, GenerationRecord } from "../gateway/ports/gateway-deps.ts";

/** How the settle step stores a cost breakdown (Generation.costBreakdown). */
export const costBreakdownSchema = z.array(
  z.object({
    feeItem: z.string(),
    quantity: z.number(),
    unitPriceUsd: z.string(),
    unit: z.enum(["perMTokens", "perCount"]).optional(),
    costNanoUsd: z.string().regex(/^-?\d+$/),
  }),
);

/**
 * A stored generation as this module reads it: the gateway's record (lib/gateway/ports/gateway-deps.ts)
 * with the enumerations widened to the strings the database holds.
 */
export type GenerationRow = Omit<GenerationRecord, "userId" | "apiKeyId" | "api" | "upstreamApi" | "status" | "attempts"> & {
  api: string;
  upstreamApi?: string | null;
  status: string;
  attempts: (Omit<AttemptRecord, "status" | "endpointId"> & { status: string; endpointId: string | null })[];
};

/** The protocols as ZenMux's `api` field spells them (get-generation.md), for the client's and the upstream's. */
const API_NAMES: Record<string, string> = {
  chat: "chat.completions",
  messages: "messages",
  responses: "responses",
  embeddings: "embeddings",
  generate_content: "generateContent",
};
const publicApiName = (api: string) => API_NAMES[api] ?? api;

export function toGenerationRecord(row: GenerationRow) {
  const breakdown = row.costBreakdown ? costBreakdownSchema.parse(JSON.parse(row.costBreakdown)) : [];
  const costUsd = formatNanoUsd(row.costNanoUsd, 0);
  const details = breakdown.map((item) => {
    const amount = Number(formatNanoUsd(BigInt(item.costNanoUsd), 0));
    return {
      feeItemCode: item.feeItem,
      quantity: item.quantity,
      rate: Number(item.unitPriceUsd),
      unit: item.unit ?? null,
      originAmount: amount,
      discountAmount: 0,
      billAmount: amount,
    };
  });
  const attempts = [...row.attempts].sort((a, b) => a.seq - b.seq);
  return {
    api: publicApiName(row.api),
    /** the protocol the serving upstream spoke, in the same names (null: no upstream served); `api` is the client's */
    upstreamApi: row.upstreamApi ? publicApiName(row.upstreamApi) : null,
    generationId: row.id,
    model: row.modelSlug ?? row.requestedModel,
    requestedModel: row.requestedModel,
    provider: row.providerSlug,
    endpointId: row.endpointId,
    createAt: row.createdAt.toISOString(),
    status: row.status,
    httpStatus: row.httpStatus,
    error: row.errorType ? { type: row.errorType, message: row.errorMessage } : null,
    streamed: row.streamed,
    finishReason: row.finishReason,
    latency: row.ttftMs,
    generationTime: row.latencyMs !== null && row.ttftMs !== null ? row.latencyMs - row.ttftMs : null,
    totalLatency: row.latencyMs,
    throughput: row.throughput,
    nativeTokens: {
      prompt_tokens: row.promptTokens,
      completion_tokens: row.completionTokens,
      total_tokens: row.promptTokens + row.completionTokens,
      prompt_tokens_details: { cached_tokens: row.cacheReadTokens, cache_write_tokens: row.cacheWriteTokens },
      completion_tokens_details: { reasoning_tokens: row.reasoningTokens },
    },
    /** ZenMux reports cost as a number; `costUsd` is the exact decimal. */
    usage: Number(costUsd),
    costUsd,
    ratingResponses: { billAmount: Number(costUsd), discountAmount: 0, originAmount: Number(costUsd), priceVersion: "v1", ratingDetails: details },
    attempts: attempts.map((a) => ({
      seq: a.seq,
      provider: a.providerSlug,
      endpointId: a.endpointId,
      status: a.status,
      httpStatus: a.httpStatus,
      error: a.errorType ? { type: a.errorType, message: a.errorMessage } : null,
      durationMs: a.durationMs,
      served: a.served,
      startedAt: a.startedAt.toISOString(),
    })),
    requestRetryTimes: Math.max(0, attempts.length - 1),
    finalRetry: false,
  };
}
