/**
 * Reads the hourly usage rollups for the charts and the dashboard, never the raw
 * Generation table. Scope is decided by the caller's filters (lib/activity/activity-filters.ts):
 * `userId` null means every account and only ever comes from an admin's request.
 */
import type { Db } from "../db/client.ts";
import type { UsageRow } from "./usage-charts.ts";

export type UsageScope = {
  userId: string | null;
  from: Date | null;
  to: Date | null;
  apiKeyId?: string | null;
  model?: string | null;
  provider?: string | null;
};

function whereOf(scope: UsageScope) {
  return {
    ...(scope.userId !== null ? { userId: scope.userId } : {}),
    ...(scope.apiKeyId ? { apiKeyId: scope.apiKeyId } : {}),
    ...(scope.model ? { modelSlug: scope.model } : {}),
    ...(scope.provider ? { providerSlug: scope.provider } : {}),
    ...(scope.from || scope.to ? { hour: { ...(scope.from ? { gte: scope.from } : {}), ...(scope.to ? { lt: scope.to } : {}) } } : {}),
  };
}

const num = (value: bigint | number | null | undefined): number => Number(value ?? 0);

const SUMMED = { requests: true, errors: true, promptTokens: true, completionTokens: true, cacheReadTokens: true, cacheWriteTokens: true, reasoningTokens: true, costNanoUsd: true, ttftMsSum: true, ttftCount: true, latencyMsSum: true, throughputSum: true, throughputCount: true } as const;

type Sums = { [field in keyof typeof SUMMED]: bigint | number | null };

function summedRow(key: Pick<UsageRow, "hour" | "apiKeyId" | "modelSlug" | "providerSlug">, s: Sums): UsageRow {
  return {
    ...key,
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

/** Rollup rows in scope, summed over accounts: one row per (hour, key, model, provider). */
export async function queryUsageRows(db: Db, scope: UsageScope): Promise<UsageRow[]> {
  const groups = await db.usageRollup.groupBy({ by: ["hour", "apiKeyId", "modelSlug", "providerSlug"], where: whereOf(scope), _sum: SUMMED });
  return groups.map(({ hour, apiKeyId, modelSlug, providerSlug, _sum }) => summedRow({ hour, apiKeyId, modelSlug, providerSlug }, _sum));
}

/**
 * One provider's rollups since `from`, summed over every account, key and model: one row
 * per hour (`apiKeyId` and `modelSlug` are ""). For the public provider page: aggregates only.
 */
export async function queryProviderUsageRows(db: Db, providerSlug: string, from: Date): Promise<UsageRow[]> {
  const groups = await db.usageRollup.groupBy({ by: ["providerSlug", "hour"], where: { providerSlug, hour: { gte: from } }, _sum: SUMMED });
  return groups.map(({ hour, _sum }) => summedRow({ hour, apiKeyId: "", modelSlug: "", providerSlug }, _sum));
}

/** The first rollup hour in scope (for an "all time" range), or null when there is none. */
export async function findFirstUsageHour(db: Db, scope: UsageScope): Promise<Date | null> {
  const first = await db.usageRollup.findFirst({ where: whereOf(scope), orderBy: { hour: "asc" }, select: { hour: true } });
  return first?.hour ?? null;
}

/** Whether the account has ever made a call (rollups outlive the raw rows' retention). */
export async function hasAnyUsage(db: Db, userId: string): Promise<boolean> {
  return (await db.usageRollup.findFirst({ where: { userId }, select: { id: true } })) !== null;
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

export type Option = { value: string; label: string };
export type UsageFilterOptions = { models: Option[]; providers: Option[]; keys: Option[]; accounts: Option[] | null };

/**
 * What the filters offer in a scope: models, providers and keys seen in its rollups (at
 * any time), plus its live keys that have no usage yet. Accounts only for admins.
 */
export async function listUsageFilterOptions(db: Db, userId: string | null, options: { includeAccounts: boolean }): Promise<UsageFilterOptions> {
  const where = userId !== null ? { userId } : {};
  const [models, providers, usedKeys, liveKeys, accounts] = await Promise.all([
    db.usageRollup.groupBy({ by: ["modelSlug"], where, orderBy: { modelSlug: "asc" } }),
    db.usageRollup.groupBy({ by: ["providerSlug"], where, orderBy: { providerSlug: "asc" } }),
    db.usageRollup.groupBy({ by: ["apiKeyId"], where }),
    db.apiKey.findMany({ where: { ...where, deletedAt: null }, select: { id: true } }),
    options.includeAccounts ? db.user.findMany({ orderBy: { email: "asc" }, select: { id: true, email: true, name: true } }) : Promise.resolve(null),
  ]);
  const keyLabels = await loadKeyLabels(db, [...usedKeys.map((k) => k.apiKeyId), ...liveKeys.map((k) => k.id)]);
  return {
    models: models.map((m) => ({ value: m.modelSlug, label: m.modelSlug })),
    providers: providers.filter((p) => p.providerSlug !== "").map((p) => ({ value: p.providerSlug, label: p.providerSlug })),
    keys: [...keyLabels.entries()].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label)),
    accounts: accounts?.map((a) => ({ value: a.id, label: a.name ? `${a.name} (${a.email})` : a.email })) ?? null,
  };
}
