/**
 * Usage aggregates by (user, key, model, provider), per UTC hour and per UTC day, kept in
 * step with the generation rows as they are written, so charts never scan raw rows. The
 * same aggregation rebuilds them from raw rows (rebuildRollups) and must agree. Days exist
 * because a month of hours is too many rows to group quickly (bench/activity-queries.ts).
 */
import type { Db } from "../db/client.ts";
import type { GenerationRecord } from "../gateway/ports/gateway-deps.ts";

export type RollupKey = { hour: Date; userId: string; apiKeyId: string; modelSlug: string; providerSlug: string };
export type RollupSums = {
  requests: number;
  errors: number;
  promptTokens: bigint;
  completionTokens: bigint;
  cacheReadTokens: bigint;
  cacheWriteTokens: bigint;
  reasoningTokens: bigint;
  costNanoUsd: bigint;
  ttftMsSum: bigint;
  ttftCount: number;
  latencyMsSum: bigint;
  throughputSum: number;
  throughputCount: number;
};

type RollupSource = Pick<
  GenerationRecord,
  | "createdAt"
  | "userId"
  | "apiKeyId"
  | "modelSlug"
  | "requestedModel"
  | "providerSlug"
  | "status"
  | "promptTokens"
  | "completionTokens"
  | "cacheReadTokens"
  | "cacheWriteTokens"
  | "reasoningTokens"
  | "costNanoUsd"
  | "ttftMs"
  | "latencyMs"
  | "throughput"
>;

export function hourOf(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 3_600_000) * 3_600_000);
}

export function dayOf(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 86_400_000) * 86_400_000);
}

export type DailyRollupKey = Omit<RollupKey, "hour"> & { day: Date };

/** Hourly groups folded into UTC days (pure): the daily rollups are exactly the hourly ones summed. */
export function foldIntoDays(hourly: { key: RollupKey; sums: RollupSums }[]): { key: DailyRollupKey; sums: RollupSums }[] {
  const days = new Map<string, { key: DailyRollupKey; sums: RollupSums }>();
  for (const { key, sums } of hourly) {
    const { hour, ...rest } = key;
    const dayKey: DailyRollupKey = { day: dayOf(hour), ...rest };
    const id = `${dayKey.day.getTime()}|${rest.userId}|${rest.apiKeyId}|${rest.modelSlug}|${rest.providerSlug}`;
    const group = days.get(id);
    if (!group) days.set(id, { key: dayKey, sums: { ...sums } });
    else addSums(group.sums, sums);
  }
  return [...days.values()];
}

function addSums(into: RollupSums, from: RollupSums): void {
  for (const field of Object.keys(into) as (keyof RollupSums)[]) (into[field] as number | bigint) = (into[field] as never) + (from[field] as never);
}

/** Groups records into rollup rows (pure). Calls that never reached a model count under the requested name. */
export function aggregate(records: RollupSource[]): { key: RollupKey; sums: RollupSums }[] {
  const groups = new Map<string, { key: RollupKey; sums: RollupSums }>();
  for (const r of records) {
    const key: RollupKey = {
      hour: hourOf(r.createdAt),
      userId: r.userId,
      apiKeyId: r.apiKeyId ?? "",
      modelSlug: r.modelSlug ?? r.requestedModel,
      providerSlug: r.providerSlug ?? "",
    };
    const id = `${key.hour.getTime()}|${key.userId}|${key.apiKeyId}|${key.modelSlug}|${key.providerSlug}`;
    let group = groups.get(id);
    if (!group) {
      group = {
        key,
        sums: {
          requests: 0,
          errors: 0,
          promptTokens: 0n,
          completionTokens: 0n,
          cacheReadTokens: 0n,
          cacheWriteTokens: 0n,
          reasoningTokens: 0n,
          costNanoUsd: 0n,
          ttftMsSum: 0n,
          ttftCount: 0,
          latencyMsSum: 0n,
          throughputSum: 0,
          throughputCount: 0,
        },
      };
      groups.set(id, group);
    }
    const s = group.sums;
    s.requests += 1;
    if (r.status === "error") s.errors += 1;
    s.promptTokens += BigInt(r.promptTokens);
    s.completionTokens += BigInt(r.completionTokens);
    s.cacheReadTokens += BigInt(r.cacheReadTokens);
    s.cacheWriteTokens += BigInt(r.cacheWriteTokens);
    s.reasoningTokens += BigInt(r.reasoningTokens);
    s.costNanoUsd += r.costNanoUsd;
    if (r.ttftMs !== null) {
      s.ttftMsSum += BigInt(r.ttftMs);
      s.ttftCount += 1;
    }
    s.latencyMsSum += BigInt(r.latencyMs ?? 0);
    if (r.throughput !== null) {
      s.throughputSum += r.throughput;
      s.throughputCount += 1;
    }
  }
  return [...groups.values()];
}

const increments = (sums: RollupSums) => Object.fromEntries(Object.entries(sums).map(([field, value]) => [field, { increment: value }]));

/** Prisma operations that add a batch's sums to the hourly and daily rollups (run in the batch's transaction). */
export function rollupUpserts(db: Pick<Db, "usageRollup" | "usageDailyRollup">, records: RollupSource[]) {
  const hourly = aggregate(records);
  return [
    ...hourly.map(({ key, sums }) =>
      db.usageRollup.upsert({ where: { hour_userId_apiKeyId_modelSlug_providerSlug: key }, create: { ...key, ...sums }, update: increments(sums) }),
    ),
    ...foldIntoDays(hourly).map(({ key, sums }) =>
      db.usageDailyRollup.upsert({ where: { day_userId_apiKeyId_modelSlug_providerSlug: key }, create: { ...key, ...sums }, update: increments(sums) }),
    ),
  ];
}

/** Recomputes every rollup from the raw generation rows (after a purge of rollups, or to check them). */
export async function rebuildRollups(db: Db): Promise<number> {
  const rows = await db.generation.findMany({
    select: {
      createdAt: true,
      userId: true,
      apiKeyId: true,
      modelSlug: true,
      requestedModel: true,
      providerSlug: true,
      status: true,
      promptTokens: true,
      completionTokens: true,
      cacheReadTokens: true,
      cacheWriteTokens: true,
      reasoningTokens: true,
      costNanoUsd: true,
      ttftMs: true,
      latencyMs: true,
      throughput: true,
    },
  });
  const groups = aggregate(rows as RollupSource[]);
  await db.$transaction([
    db.usageRollup.deleteMany({}),
    db.usageDailyRollup.deleteMany({}),
    db.usageRollup.createMany({ data: groups.map(({ key, sums }) => ({ ...key, ...sums })) }),
    db.usageDailyRollup.createMany({ data: foldIntoDays(groups).map(({ key, sums }) => ({ ...key, ...sums })) }),
  ]);
  return groups.length;
}
