/**
 * Reads the usage rollups for the charts, the dashboard and the provider pages, never the
 * raw Generation table. Scope is decided by the caller's filters (lib/activity/activity-filters.ts):
 * `userId` null means every account and only ever comes from an admin's request.
 *
 * Rows are grouped in SQL by period and one dimension at a time (model, provider or key):
 * each chart shows one dimension, and a row per (hour, key, model, provider) was ~70,000
 * rows for one busy account's month. Day and month charts read the daily rollups (UTC
 * days), hour charts the hourly ones; bench/activity-queries.ts measures both at a
 * million calls.
 */
import type { Db } from "../db/client.ts";
import { keyCondition } from "./activity-filters.ts";
import type { ProviderAttemptCount } from "./provider-attempts.ts";
import { USAGE_DIMENSIONS, type UsageDimension, type UsageRow, type UsageRowsByDimension } from "./usage-rows.ts";

export type UsageScope = {
  userId: string | null;
  from: Date | null;
  to: Date | null;
  apiKeyId?: string | null;
  /** only these keys' calls (an organization member's, lib/organizations/active-account.ts); null = any */
  apiKeyIds?: string[] | null;
  model?: string | null;
  provider?: string | null;
};

/** Which rollups to read: UTC hours or UTC days. */
export type UsageGrain = "hour" | "day";

const COLUMN = { model: "modelSlug", provider: "providerSlug", key: "apiKeyId" } as const satisfies Record<UsageDimension, keyof UsageRow>;

function filtersOf(scope: UsageScope) {
  return {
    ...(scope.userId !== null ? { userId: scope.userId } : {}),
    ...keyCondition(scope.apiKeyId, scope.apiKeyIds),
    ...(scope.model ? { modelSlug: scope.model } : {}),
    ...(scope.provider ? { providerSlug: scope.provider } : {}),
  };
}

function periodOf(scope: UsageScope) {
  return scope.from || scope.to ? { ...(scope.from ? { gte: scope.from } : {}), ...(scope.to ? { lt: scope.to } : {}) } : undefined;
}

const num = (value: bigint | number | null | undefined): number => Number(value ?? 0);

const SUMMED = {
  requests: true,
  errors: true,
  promptTokens: true,
  completionTokens: true,
  cacheReadTokens: true,
  cacheWriteTokens: true,
  reasoningTokens: true,
  costNanoUsd: true,
  ttftMsSum: true,
  ttftCount: true,
  latencyMsSum: true,
  throughputSum: true,
  throughputCount: true,
} as const;

type Sums = { [field in keyof typeof SUMMED]: bigint | number | null };
type Group = { hour?: Date; day?: Date; apiKeyId?: string; modelSlug?: string; providerSlug?: string; _sum: Sums };

function summedRow(group: Group): UsageRow {
  const s = group._sum;
  return {
    start: (group.hour ?? group.day)!,
    apiKeyId: group.apiKeyId ?? "",
    modelSlug: group.modelSlug ?? "",
    providerSlug: group.providerSlug ?? "",
    requests: num(s.requests),
    errors: num(s.errors),
    promptTokens: num(s.promptTokens),
    completionTokens: num(s.completionTokens),
    cacheReadTokens: num(s.cacheReadTokens),
    cacheWriteTokens: num(s.cacheWriteTokens),
    reasoningTokens: num(s.reasoningTokens),
    costNanoUsd: BigInt(s.costNanoUsd ?? 0n),
    ttftMsSum: num(s.ttftMsSum),
    ttftCount: num(s.ttftCount),
    latencyMsSum: num(s.latencyMsSum),
    throughputSum: num(s.throughputSum),
    throughputCount: num(s.throughputCount),
  };
}

/** Sums per period and dimension value in scope, for each dimension asked for (one grouped query each). */
export async function queryUsageSeries(
  db: Db,
  scope: UsageScope,
  grain: UsageGrain,
  dimensions: readonly UsageDimension[] = USAGE_DIMENSIONS,
): Promise<UsageRowsByDimension> {
  const period = periodOf(scope);
  const byDimension = await Promise.all(
    dimensions.map(async (dimension) => {
      const column = COLUMN[dimension];
      // Two calls rather than one over a union: Prisma types groupBy per model.
      const groups =
        grain === "hour"
          ? await db.usageRollup.groupBy({ by: ["hour", column], where: { ...filtersOf(scope), ...(period ? { hour: period } : {}) }, _sum: SUMMED })
          : await db.usageDailyRollup.groupBy({ by: ["day", column], where: { ...filtersOf(scope), ...(period ? { day: period } : {}) }, _sum: SUMMED });
      return groups as Group[];
    }),
  );
  const result: UsageRowsByDimension = { model: [], provider: [], key: [] };
  dimensions.forEach((dimension, i) => (result[dimension] = byDimension[i].map(summedRow)));
  return result;
}

/**
 * One provider's daily rollups since `from`, summed over every account, key and model: one
 * row per UTC day. For the public provider page: aggregates only.
 */
export async function queryProviderUsageRows(db: Db, providerSlug: string, from: Date): Promise<UsageRow[]> {
  const groups = await db.usageDailyRollup.groupBy({ by: ["providerSlug", "day"], where: { providerSlug, day: { gte: from } }, _sum: SUMMED });
  return groups.map(summedRow);
}

/**
 * Attempts per provider in scope, failed-over ones included, from the raw attempt rows
 * (kept LOG_RETENTION_DAYS; older ranges count only what is left). The provider filter
 * applies to the attempt, the others to its call.
 */
export async function queryProviderAttempts(db: Db, scope: UsageScope): Promise<ProviderAttemptCount[]> {
  const period = periodOf(scope);
  const groups = await db.generationAttempt.groupBy({
    by: ["providerSlug", "status"],
    where: {
      ...(scope.provider ? { providerSlug: scope.provider } : {}),
      generation: {
        ...(scope.userId !== null ? { userId: scope.userId } : {}),
        ...keyCondition(scope.apiKeyId, scope.apiKeyIds),
        ...(scope.model ? { OR: [{ modelSlug: scope.model }, { modelSlug: null, requestedModel: scope.model }] } : {}),
        ...(period ? { createdAt: period } : {}),
      },
    },
    _count: { _all: true },
  });
  const counts = new Map<string, ProviderAttemptCount>();
  for (const group of groups) {
    const count = counts.get(group.providerSlug) ?? { providerSlug: group.providerSlug, attempts: 0, succeeded: 0 };
    count.attempts += group._count._all;
    if (group.status === "success") count.succeeded += group._count._all;
    counts.set(group.providerSlug, count);
  }
  return [...counts.values()];
}

/** The first day with usage in scope (for an "all time" range), or null when there is none. */
export async function findFirstUsageDay(db: Db, scope: UsageScope): Promise<Date | null> {
  const first = await db.usageDailyRollup.findFirst({
    where: { ...filtersOf(scope), ...(periodOf(scope) ? { day: periodOf(scope) } : {}) },
    orderBy: { day: "asc" },
    select: { day: true },
  });
  return first?.day ?? null;
}

/** Whether the account has ever made a call (rollups outlive the raw rows' retention). */
export async function hasAnyUsage(db: Db, userId: string): Promise<boolean> {
  return (await db.usageDailyRollup.findFirst({ where: { userId }, select: { day: true } })) !== null;
}

type KeyRow = { id: string; name: string; start: string; deletedAt: Date | null };

/** Display names for keys: the name, "(deleted)" for deleted keys, and the visible start when names repeat. */
export function labelKeys(keys: readonly KeyRow[]): Map<string, string> {
  const nameCount = new Map<string, number>();
  for (const key of keys) nameCount.set(key.name, (nameCount.get(key.name) ?? 0) + 1);
  return new Map(keys.map((key) => [key.id, `${key.name}${nameCount.get(key.name)! > 1 ? ` (${key.start}…)` : ""}${key.deletedAt ? " (deleted)" : ""}`]));
}

export async function loadKeyLabels(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].filter(Boolean);
  if (wanted.length === 0) return new Map();
  return labelKeys(await db.apiKey.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true, start: true, deletedAt: true } }));
}

/** Which member (email) made each organization key; personal keys are left out. */
export async function loadKeyMembers(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].filter(Boolean);
  if (wanted.length === 0) return new Map();
  const keys = await db.apiKey.findMany({
    where: { id: { in: wanted }, membershipId: { not: null } },
    select: { id: true, membership: { select: { user: { select: { email: true } } } } },
  });
  return new Map(keys.flatMap((k) => (k.membership ? [[k.id, k.membership.user.email] as const] : [])));
}

export type Option = { value: string; label: string };
export type UsageFilterOptions = {
  models: Option[];
  providers: Option[];
  keys: Option[];
  accounts: Option[] | null;
  members?: { id: string; email: string }[];
};

/**
 * What the filters offer in a scope: models, providers and keys seen in its rollups (at
 * any time), plus its live keys that have no usage yet. Accounts only for admins.
 */
export async function listUsageFilterOptions(
  db: Db,
  userId: string | null,
  options: { includeAccounts: boolean; apiKeyIds?: string[] | null },
): Promise<UsageFilterOptions> {
  const where = { ...(userId !== null ? { userId } : {}), ...keyCondition(null, options.apiKeyIds) };
  const keyWhere = { ...(userId !== null ? { userId } : {}), ...(options.apiKeyIds ? { id: { in: options.apiKeyIds } } : {}) };
  const [models, providers, usedKeys, liveKeys, accounts] = await Promise.all([
    db.usageDailyRollup.groupBy({ by: ["modelSlug"], where, orderBy: { modelSlug: "asc" } }),
    db.usageDailyRollup.groupBy({ by: ["providerSlug"], where, orderBy: { providerSlug: "asc" } }),
    db.usageDailyRollup.groupBy({ by: ["apiKeyId"], where }),
    db.apiKey.findMany({ where: { ...keyWhere, deletedAt: null }, select: { id: true } }),
    options.includeAccounts
      ? db.user.findMany({ orderBy: { email: "asc" }, select: { id: true, email: true, name: true, kind: true } })
      : Promise.resolve(null),
  ]);
  const keyLabels = await loadKeyLabels(db, [...usedKeys.map((k) => k.apiKeyId), ...liveKeys.map((k) => k.id)]);
  return {
    models: models.map((m) => ({ value: m.modelSlug, label: m.modelSlug })),
    providers: providers.filter((p) => p.providerSlug !== "").map((p) => ({ value: p.providerSlug, label: p.providerSlug })),
    keys: [...keyLabels.entries()].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label)),
    accounts:
      accounts?.map((a) => ({ value: a.id, label: a.kind === "organization" ? `${a.name} (organization)` : a.name ? `${a.name} (${a.email})` : a.email })) ??
      null,
  };
}
