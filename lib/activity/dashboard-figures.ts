/**
 * The dashboard's figures from daily rollup rows by model (pure): spend today, over 7 and
 * 30 days, requests and error rate, top models by cost and a daily cost series. Days are
 * UTC days, the days the rollups and the Usage page count in.
 */
import { formatNanoUsd } from "../gateway/metering/money.ts";
import { startOfLocalDay } from "./usage-buckets.ts";
import { assignBuckets, type TimeSeriesChart } from "./usage-charts.ts";
import { breakdownBy, type UsageRow } from "./usage-rows.ts";

export const DASHBOARD_DAYS = 30;
const TOP_MODELS = 5;

const TIME_ZONE = "UTC";

export type DashboardFigures = {
  timeZone: string;
  spend: { todayUsd: string; last7DaysUsd: string; last30DaysUsd: string };
  requests: number;
  errors: number;
  errorRate: number | null;
  topModels: { model: string; costUsd: string; requests: number; tokens: number; share: number }[];
  dailyCost: TimeSeriesChart;
  /** an organization admin's dashboard: spend per member over the 30 days, dearest first */
  members?: { member: string; costUsd: string; requests: number }[];
};

/** Spend per member from the rollup rows by key, given which member made each key; keys of no member are left out. */
export function spendByMember(rows: readonly UsageRow[], memberOf: (apiKeyId: string) => string | null): NonNullable<DashboardFigures["members"]> {
  return breakdownBy(
    rows,
    (row) => memberOf(row.apiKeyId) ?? "",
    (id) => id,
  )
    .filter((row) => row.id !== "" && row.requests > 0)
    .map((row) => ({ member: row.label, costUsd: row.costUsd, requests: row.requests }));
}

/** The first instant the dashboard reads: the start of the UTC day 29 days before today. */
export function dashboardWindowStart(now: Date): Date {
  return new Date(startOfLocalDay(now.getTime(), DASHBOARD_DAYS - 1, TIME_ZONE));
}

export function prepareDashboardFigures(rows: readonly UsageRow[], now: Date): DashboardFigures {
  const nowMs = now.getTime();
  const timeZone = TIME_ZONE;
  const range = { from: dashboardWindowStart(now).getTime(), to: nowMs + 1, granularity: "day" as const, timeZone };
  const { buckets, rows: tagged } = assignBuckets(rows, range);
  const today = startOfLocalDay(nowMs, 0, timeZone);
  const weekStart = startOfLocalDay(nowMs, 6, timeZone);
  const spend = { today: 0n, week: 0n, month: 0n };
  let requests = 0;
  let errors = 0;
  const costByDay = new Map(buckets.map((t) => [t, 0]));
  for (const { bucket, row } of tagged) {
    spend.month += row.costNanoUsd;
    if (bucket >= weekStart) spend.week += row.costNanoUsd;
    if (bucket >= today) spend.today += row.costNanoUsd;
    requests += row.requests;
    errors += row.errors;
    costByDay.set(bucket, costByDay.get(bucket)! + Number(row.costNanoUsd));
  }
  const total = Number(spend.month);
  const topModels = breakdownBy(
    tagged.map((t) => t.row),
    (row) => row.modelSlug,
    (slug) => slug,
  )
    .filter((row) => row.requests > 0)
    .slice(0, TOP_MODELS)
    .map((row) => ({
      model: row.label,
      costUsd: row.costUsd,
      requests: row.requests,
      tokens: row.totalTokens,
      share: total > 0 ? row.costNanoUsd / total : 0,
    }));
  return {
    timeZone,
    spend: { todayUsd: formatNanoUsd(spend.today), last7DaysUsd: formatNanoUsd(spend.week), last30DaysUsd: formatNanoUsd(spend.month) },
    requests,
    errors,
    errorRate: requests > 0 ? errors / requests : null,
    topModels,
    dailyCost: { series: total > 0 ? [{ key: "cost", label: "Cost", total, colour: 0 }] : [], points: buckets.map((t) => ({ t, cost: costByDay.get(t)! })) },
  };
}
