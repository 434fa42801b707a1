/**
 * The activity list: generation rows matching the filters, newest first, a page at a
 * time. Pages are keyset-paginated on (createdAt, id) so a deep page costs what the
 * first one does (an index range scan), never an OFFSET over millions of rows.
 */
import type { Db } from "../db/client.ts";
import { decodeCursor, encodeCursor, type KeysetCursor } from "../db/keyset-cursor.ts";
import { formatNanoUsd } from "../gateway/metering/money.ts";
import { keyCondition, type ActivityFilters } from "./activity-filters.ts";
import { costBreakdownSchema } from "./generation-record.ts";
import { CLIENT_PROTOCOLS } from "./protocol-names.ts";

export const ACTIVITY_PAGE_SIZE = 50;

/** The Prisma where clause for the filters (also used by the CSV export). */
export function activityWhere(filters: ActivityFilters, cursor: KeysetCursor | null = null) {
  const createdAt = {
    ...(filters.from ? { gte: filters.from } : {}),
    ...(filters.to ? { lte: filters.to } : {}),
  };
  return {
    ...(filters.userId ? { userId: filters.userId } : {}),
    ...keyCondition(filters.apiKeyId, filters.apiKeyIds),
    ...(filters.model ? { modelSlug: filters.model } : {}),
    ...(filters.provider ? { providerSlug: filters.provider } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.finishReason ? { finishReason: filters.finishReason } : {}),
    ...(filters.api ? { api: filters.api } : {}),
    // Rows after the cursor in (createdAt desc, id desc) order. Written as one range on
    // createdAt plus an exclusion, so the planner keeps a single index range scan.
    ...(cursor
      ? {
          createdAt: { ...createdAt, lte: filters.to && filters.to < cursor.createdAt ? filters.to : cursor.createdAt },
          NOT: { createdAt: cursor.createdAt, id: { gte: cursor.id } },
        }
      : Object.keys(createdAt).length > 0
        ? { createdAt }
        : {}),
  };
}

const activitySelect = {
  id: true,
  createdAt: true,
  userId: true,
  api: true,
  upstreamApi: true,
  requestedModel: true,
  modelSlug: true,
  providerSlug: true,
  streamed: true,
  status: true,
  httpStatus: true,
  errorType: true,
  errorMessage: true,
  finishReason: true,
  promptTokens: true,
  completionTokens: true,
  cacheReadTokens: true,
  cacheWriteTokens: true,
  reasoningTokens: true,
  costNanoUsd: true,
  costBreakdown: true,
  ttftMs: true,
  latencyMs: true,
  throughput: true,
  apiKeyId: true,
  apiKey: { select: { name: true, start: true, membership: { select: { user: { select: { email: true } } } } } },
  user: { select: { email: true, kind: true, name: true } },
} as const;

type ActivityDbRow = {
  id: string;
  createdAt: Date;
  userId: string;
  api: string;
  upstreamApi: string | null;
  requestedModel: string;
  modelSlug: string | null;
  providerSlug: string | null;
  streamed: boolean;
  status: string;
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
  costBreakdown: string | null;
  ttftMs: number | null;
  latencyMs: number | null;
  throughput: number | null;
  apiKeyId: string | null;
  apiKey: { name: string; start: string; membership: { user: { email: string } } | null } | null;
  user: { email: string; kind: string; name: string | null };
};

/** One row of the activity table as the console receives it (plain JSON). */
export type ActivityRowDto = {
  id: string;
  createdAt: string;
  /** the person's email, or an organization's name */
  account: string;
  /** in an organization, the member whose key made the call */
  member: string | null;
  /** the client's protocol, as records name it (protocol-names.ts) */
  api: string;
  /** the serving upstream's protocol (null: none served) */
  upstreamApi: string | null;
  model: string;
  requestedModel: string;
  provider: string | null;
  apiKey: { id: string; name: string; start: string } | null;
  streamed: boolean;
  status: string;
  httpStatus: number;
  error: string | null;
  finishReason: string | null;
  tokens: { prompt: number; cacheRead: number; cacheWrite: number; completion: number; reasoning: number };
  costUsd: string;
  costItems: { feeItem: string; quantity: number; unitPriceUsd: string; unit: "perMTokens" | "perCount" | null; costUsd: string }[];
  latencyMs: number | null;
  ttftMs: number | null;
  throughput: number | null;
  attempts: number;
};

/** How a row names its account: a person by email, an organization by name (its account row's email is a placeholder). */
export function accountLabel(user: { email: string; kind: string; name: string | null }): string {
  return user.kind === "organization" ? (user.name ?? "Organization") : user.email;
}

export function toActivityRow(row: ActivityDbRow, attempts: number): ActivityRowDto {
  const breakdown = row.costBreakdown ? costBreakdownSchema.safeParse(JSON.parse(row.costBreakdown)) : null;
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    account: accountLabel(row.user),
    member: row.apiKey?.membership?.user.email ?? null,
    api: row.api,
    upstreamApi: row.upstreamApi,
    model: row.modelSlug ?? row.requestedModel,
    requestedModel: row.requestedModel,
    provider: row.providerSlug,
    apiKey: row.apiKeyId && row.apiKey ? { id: row.apiKeyId, name: row.apiKey.name, start: row.apiKey.start } : null,
    streamed: row.streamed,
    status: row.status,
    httpStatus: row.httpStatus,
    error: row.errorType ? `${row.errorType}: ${row.errorMessage ?? ""}`.trim() : null,
    finishReason: row.finishReason,
    tokens: {
      prompt: row.promptTokens,
      cacheRead: row.cacheReadTokens,
      cacheWrite: row.cacheWriteTokens,
      completion: row.completionTokens,
      reasoning: row.reasoningTokens,
    },
    costUsd: formatNanoUsd(row.costNanoUsd, 0),
    costItems: breakdown?.success
      ? breakdown.data.map((i) => ({
          feeItem: i.feeItem,
          quantity: i.quantity,
          unitPriceUsd: i.unitPriceUsd,
          unit: i.unit ?? null,
          costUsd: formatNanoUsd(BigInt(i.costNanoUsd), 0),
        }))
      : [],
    latencyMs: row.latencyMs,
    ttftMs: row.ttftMs,
    throughput: row.throughput,
    attempts,
  };
}

export type ActivityPage = { data: ActivityRowDto[]; nextCursor: string | null };

/**
 * A page of activity. `q` looks up one generation by id within the same scope
 * (the other filters do not apply: a pasted id should always be found).
 */
export async function listActivity(
  db: Db,
  filters: ActivityFilters,
  options: { cursor?: string | null; limit?: number; q?: string | null } = {},
): Promise<ActivityPage> {
  const limit = Math.min(Math.max(options.limit ?? ACTIVITY_PAGE_SIZE, 1), 500);
  const q = options.q?.trim();
  if (q) {
    const row = await db.generation.findFirst({
      where: { id: q, ...(filters.userId ? { userId: filters.userId } : {}), ...keyCondition(null, filters.apiKeyIds) },
      select: activitySelect,
    });
    return { data: row ? await withAttemptCounts(db, [row]) : [], nextCursor: null };
  }
  const rows = await db.generation.findMany({
    where: activityWhere(filters, decodeCursor(options.cursor)),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: activitySelect,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: await withAttemptCounts(db, page), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/**
 * Attempt counts for one page, in one grouped query on the page's ids. (A relation
 * `_count` in the main query makes Prisma join an aggregate over the whole attempts
 * table: a second per page at a million rows, as the benchmark showed.)
 */
async function withAttemptCounts(db: Db, rows: ActivityDbRow[]): Promise<ActivityRowDto[]> {
  if (rows.length === 0) return [];
  const counts = await db.generationAttempt.groupBy({ by: ["generationId"], where: { generationId: { in: rows.map((r) => r.id) } }, _count: { _all: true } });
  const byId = new Map(counts.map((c) => [c.generationId, c._count._all]));
  return rows.map((row) => toActivityRow(row, byId.get(row.id) ?? 0));
}

/** Every matching row, oldest batch last, `batchSize` at a time (for the streamed CSV export). */
export async function* iterateActivity(db: Db, filters: ActivityFilters, batchSize = 1000): AsyncGenerator<ActivityRowDto[]> {
  let cursor: string | null = null;
  do {
    const page = await listActivity(db, filters, { cursor, limit: batchSize });
    if (page.data.length > 0) yield page.data;
    cursor = page.nextCursor;
  } while (cursor);
}

/**
 * The values the filter menus offer: the catalog's models and providers (from memory:
 * a DISTINCT over a million rows costs seconds) and the scope's API keys.
 */
export async function activityFilterOptions(db: Db, userId: string | null, catalog: { models: string[]; providers: string[] }) {
  const keys = await db.apiKey.findMany({
    where: userId ? { userId } : {},
    select: { id: true, name: true, start: true, deletedAt: true },
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  return {
    models: [...catalog.models].sort(),
    providers: [...catalog.providers].sort(),
    keys: keys.map((k) => ({ id: k.id, name: k.deletedAt ? `${k.name} (deleted)` : k.name, start: k.start })),
    finishReasons: FINISH_REASONS,
    apis: CLIENT_PROTOCOLS,
  };
}

/** OpenAI's and Anthropic's finish reasons, as the gateway records them. */
const FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter", "end_turn", "max_tokens", "tool_use", "stop_sequence", "refusal"];
