/**
 * A batch of generation records as raw multi-row SQL: the rows, their attempts, opted-in
 * bodies, the hourly and daily rollups (INSERT … ON CONFLICT DO UPDATE adding the sums), and
 * the UPDATE marking the batch's reservations recorded. The same writes as
 * generation-rows.ts + the writer's markRecorded, in a form a worker thread can run on its
 * own connection (plain strings, numbers, bigints and nulls: structured-clone friendly).
 *
 * Values are encoded as Prisma's adapters store them (lib/db/sql-statements.ts), so rows
 * written here and rows written through Prisma are indistinguishable and the rollups' unique
 * keys match.
 */
import { randomUUID } from "node:crypto";
import type { GenerationRecord } from "../gateway/ports/gateway-deps.ts";
import { multiRowInserts, MAX_PARAMS, sqlValueEncoder, type SqlDialect, type SqlStatement, type SqlValue } from "../db/sql-statements.ts";
import { aggregate, foldIntoDays, type RollupSums } from "./usage-rollups.ts";

export type { SqlDialect, SqlStatement, SqlValue } from "../db/sql-statements.ts";

const GENERATION_COLUMNS = [
  "id",
  "userId",
  "apiKeyId",
  "api",
  "upstreamApi",
  "requestedModel",
  "modelSlug",
  "providerSlug",
  "endpointId",
  "streamed",
  "status",
  "httpStatus",
  "errorType",
  "errorMessage",
  "finishReason",
  "promptTokens",
  "completionTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "reasoningTokens",
  "costNanoUsd",
  "costBreakdown",
  "ttftMs",
  "latencyMs",
  "throughput",
  "createdAt",
] as const;
const ATTEMPT_COLUMNS = [
  "id",
  "generationId",
  "seq",
  "providerSlug",
  "endpointId",
  "status",
  "httpStatus",
  "errorType",
  "errorMessage",
  "durationMs",
  "served",
  "startedAt",
] as const;
const CONTENT_COLUMNS = ["generationId", "requestBody", "responseBody", "truncated", "createdAt"] as const;
const SUM_COLUMNS = [
  "requests",
  "errors",
  "promptTokens",
  "completionTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "reasoningTokens",
  "costNanoUsd",
  "ttftMsSum",
  "ttftCount",
  "latencyMsSum",
  "throughputSum",
  "throughputCount",
] as const satisfies readonly (keyof RollupSums)[];
const ROLLUP_KEY = ["userId", "apiKeyId", "modelSlug", "providerSlug"] as const;

function rollupSuffix(table: string, period: "hour" | "day"): string {
  const conflict = [period, ...ROLLUP_KEY].map((c) => `"${c}"`).join(", ");
  const sets = SUM_COLUMNS.map((c) => `"${c}" = "${table}"."${c}" + EXCLUDED."${c}"`).join(", ");
  return ` ON CONFLICT (${conflict}) DO UPDATE SET ${sets}`;
}

/** The statements that write `batch` (already made storable) with its rollups; run them in one transaction. */
export function generationBatchStatements(dialect: SqlDialect, batch: readonly GenerationRecord[]): SqlStatement[] {
  if (batch.length === 0) return [];
  // `?? null`: upstreamApi is absent on records checkpointed before it was kept.
  const generations = batch.map((g) => GENERATION_COLUMNS.map((column) => (g[column] ?? null) as SqlValue));
  const attempts = batch.flatMap((g) =>
    g.attempts.map(
      (a) =>
        [
          randomUUID(),
          g.id,
          a.seq,
          a.providerSlug,
          a.endpointId,
          a.status,
          a.httpStatus,
          a.errorType,
          a.errorMessage,
          a.durationMs,
          a.served,
          a.startedAt,
        ] satisfies SqlValue[],
    ),
  );
  const contents = batch.flatMap((g) =>
    g.content ? [[g.id, g.content.requestBody, g.content.responseBody, g.content.truncated, g.createdAt] satisfies SqlValue[]] : [],
  );
  const hourly = aggregate([...batch]);
  const hourRows = hourly.map(
    ({ key, sums }) => [randomUUID(), key.hour, ...ROLLUP_KEY.map((c) => key[c]), ...SUM_COLUMNS.map((c) => sums[c])] satisfies SqlValue[],
  );
  const dayRows = foldIntoDays(hourly).map(
    ({ key, sums }) => [key.day, ...ROLLUP_KEY.map((c) => key[c]), ...SUM_COLUMNS.map((c) => sums[c])] satisfies SqlValue[],
  );
  return [
    ...multiRowInserts(dialect, "Generation", GENERATION_COLUMNS, generations),
    ...multiRowInserts(dialect, "GenerationAttempt", ATTEMPT_COLUMNS, attempts),
    ...multiRowInserts(dialect, "GenerationContent", CONTENT_COLUMNS, contents),
    ...multiRowInserts(dialect, "UsageRollup", ["id", "hour", ...ROLLUP_KEY, ...SUM_COLUMNS], hourRows, rollupSuffix("UsageRollup", "hour")),
    ...multiRowInserts(dialect, "UsageDailyRollup", ["day", ...ROLLUP_KEY, ...SUM_COLUMNS], dayRows, rollupSuffix("UsageDailyRollup", "day")),
  ];
}

/**
 * Marks the settlements of `ids` recorded (the reservation id is the generation id), clearing
 * the stored record: crash recovery leaves them alone (lib/billing/unrecorded-settlements.ts).
 * Ids without a settled, unrecorded reservation match nothing.
 */
export function markRecordedStatements(dialect: SqlDialect, ids: readonly string[], at: Date): SqlStatement[] {
  const encode = sqlValueEncoder(dialect);
  const perStatement = MAX_PARAMS - 1;
  const statements: SqlStatement[] = [];
  for (let start = 0; start < ids.length; start += perStatement) {
    const chunk = ids.slice(start, start + perStatement);
    const marks = chunk.map((_, i) => (dialect === "sqlite" ? "?" : `$${i + 2}`)).join(", ");
    statements.push({
      sql: `UPDATE "Reservation" SET "recordedAt" = ${dialect === "sqlite" ? "?" : "$1"}, "provisionalRecord" = NULL WHERE "id" IN (${marks}) AND "settledAt" IS NOT NULL AND "recordedAt" IS NULL`,
      params: [encode(at), ...chunk],
    });
  }
  return statements;
}
