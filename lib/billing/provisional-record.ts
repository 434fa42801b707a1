/**
 * A running request's generation record as a stream checkpoint stores it on its
 * reservation (Reservation.provisionalRecord), and the record crash recovery writes
 * from it. JSON with money as decimal strings and times as ISO strings; bodies are
 * never stored here.
 */
import { z } from "zod";
import { WIRE_APIS, type GenerationRecord } from "../gateway/ports/gateway-deps.ts";

const nanoUsd = z
  .string()
  .regex(/^-?\d+$/)
  .transform(BigInt);
const isoDate = z.iso.datetime().transform((text) => new Date(text));

const attemptSchema = z.object({
  seq: z.number().int(),
  providerSlug: z.string(),
  endpointId: z.string(),
  status: z.enum(["success", "error", "timeout", "aborted"]),
  httpStatus: z.number().int().nullable(),
  errorType: z.string().nullable(),
  errorMessage: z.string().nullable(),
  durationMs: z.number().int(),
  served: z.boolean(),
  startedAt: isoDate,
});

const provisionalRecordSchema = z.object({
  id: z.string(),
  userId: z.string(),
  apiKeyId: z.string().nullable(),
  // Any protocol's name: the gateway wrote this record itself (a narrower list left a Responses stream's checkpoint unreadable).
  api: z.enum(WIRE_APIS).transform((api) => api as GenerationRecord["api"]),
  upstreamApi: z.enum(WIRE_APIS).nullable().optional(),
  requestedModel: z.string(),
  modelSlug: z.string().nullable(),
  providerSlug: z.string().nullable(),
  endpointId: z.string().nullable(),
  streamed: z.boolean(),
  status: z.enum(["success", "error", "aborted"]),
  httpStatus: z.number().int(),
  errorType: z.string().nullable(),
  errorMessage: z.string().nullable(),
  finishReason: z.string().nullable(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  reasoningTokens: z.number().int(),
  costNanoUsd: nanoUsd,
  costBreakdown: z.string().nullable(),
  ttftMs: z.number().nullable(),
  latencyMs: z.number().nullable(),
  throughput: z.number().nullable(),
  createdAt: isoDate,
  attempts: z.array(attemptSchema),
});

export function serializeProvisionalRecord(record: GenerationRecord): string {
  const { content: _content, ...rest } = record;
  return JSON.stringify({ ...rest, costNanoUsd: record.costNanoUsd.toString() });
}

/** The stored record, or null when it is unreadable (recovery then releases without a record). */
export function parseProvisionalRecord(text: string): GenerationRecord | null {
  try {
    const parsed = provisionalRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What recovery writes for a request whose instance died: the usage up to its last checkpoint, as a failure. */
export function crashedRecord(record: GenerationRecord, costNanoUsd: bigint): GenerationRecord {
  return {
    ...record,
    status: "error",
    httpStatus: 502,
    errorType: "instance_crashed",
    errorMessage: "The Switchyard instance serving this request stopped before it finished; billed for the output relayed up to its last checkpoint",
    costNanoUsd,
    content: null,
  };
}
