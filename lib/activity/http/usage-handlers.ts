import "server-only";
/**
 * Console API for the Usage page and the dashboard, from the rollups. Times are UTC, as on
 * ZenMux's usage pages: a day is a UTC day, which is what the daily rollups hold.
 * GET /api/console/usage          chart-ready data for the filters in the query string
 * GET /api/console/usage/options  what the filters offer (accounts too, for admins)
 * GET /api/console/usage/summary  the dashboard's figures for the signed-in account
 */
import { z } from "zod";
import { getDb } from "../../db/client.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { parseInput } from "../../errors/validation-error.ts";
import { memberOptions, scopedActivityFilters } from "./activity-scope.ts";
import { dashboardWindowStart, prepareDashboardFigures, spendByMember } from "../dashboard-figures.ts";
import { GRANULARITIES, resolveChartRange } from "../usage-buckets.ts";
import { prepareUsageCharts } from "../usage-charts.ts";
import { findFirstUsageDay, listUsageFilterOptions, loadKeyLabels, loadKeyMembers, queryProviderAttempts, queryUsageSeries } from "../usage-query.ts";
import { caughtUpRecords } from "./caught-up.ts";

const noStore = { "cache-control": "no-store" };

const chartParamsSchema = z.object({
  granularity: z.enum(GRANULARITIES, { error: "granularity must be hour, day or month" }).optional(),
});

export const handleUsage = consoleRoute(async ({ request, user, account }) => {
  const params = new URL(request.url).searchParams;
  const now = new Date();
  const filters = await scopedActivityFilters(params, { user, account }, { defaultRange: "7d", now });
  const { granularity } = parseInput(chartParamsSchema, { granularity: params.get("granularity") || undefined });
  const scope = {
    userId: filters.userId,
    from: filters.from,
    to: filters.to,
    apiKeyId: filters.apiKeyId,
    apiKeyIds: filters.apiKeyIds,
    model: filters.model,
    provider: filters.provider,
  };
  await caughtUpRecords();
  const db = getDb();
  const to = filters.to && filters.to < now ? filters.to : now;
  // "All time" starts at the scope's first rollup; with none there is nothing to chart.
  const from = filters.from ?? (await findFirstUsageDay(db, scope)) ?? to;
  const range = resolveChartRange({ from: from.getTime(), to: to.getTime(), granularity: granularity ?? null, timeZone: "UTC" });
  const [rows, attempts] = await Promise.all([
    queryUsageSeries(db, { ...scope, from: new Date(range.from), to }, range.granularity === "hour" ? "hour" : "day"),
    queryProviderAttempts(db, { ...scope, from: new Date(range.from), to }),
  ]);
  const keyIds = rows.key.map((row) => row.apiKeyId);
  const keyLabels = await loadKeyLabels(db, keyIds);
  // An organization's admins see usage grouped by member as well.
  const members = account.kind === "organization" && account.role === "admin" ? await loadKeyMembers(db, keyIds) : null;
  const charts = prepareUsageCharts(
    rows,
    range,
    { keyLabel: (id) => keyLabels.get(id) ?? "Unknown key", ...(members ? { memberOf: (id: string) => members.get(id) ?? null } : {}) },
    attempts,
  );
  return jsonResponse(charts, { headers: noStore });
});

export const handleUsageOptions = consoleRoute(async ({ request, user, account }) => {
  const params = new URL(request.url).searchParams;
  const filters = await scopedActivityFilters(params, { user, account });
  const instanceAdmin = account.kind === "personal" && user.role === "admin";
  const options = await listUsageFilterOptions(getDb(), filters.userId, { includeAccounts: instanceAdmin, apiKeyIds: filters.apiKeyIds });
  return jsonResponse({ ...options, members: await memberOptions(account) }, { headers: noStore });
});

/** The dashboard's figures for the active account; an organization's admins may narrow them to one member (`member=`) and get spend per member. */
export const handleDashboardSummary = consoleRoute(async ({ request, user, account }) => {
  const now = new Date();
  await caughtUpRecords();
  const params = new URL(request.url).searchParams;
  const { userId, apiKeyIds } = await scopedActivityFilters(new URLSearchParams(params.get("member") ? { member: params.get("member")! } : {}), {
    user,
    account,
  });
  const organizationAdmin = account.kind === "organization" && account.role === "admin";
  const db = getDb();
  const rows = await queryUsageSeries(
    db,
    { userId: userId ?? account.id, apiKeyIds, from: dashboardWindowStart(now), to: null },
    "day",
    organizationAdmin ? ["model", "key"] : ["model"],
  );
  const figures = prepareDashboardFigures(rows.model, now);
  if (!organizationAdmin) return jsonResponse(figures, { headers: noStore });
  const members = await loadKeyMembers(
    db,
    rows.key.map((row) => row.apiKeyId),
  );
  return jsonResponse({ ...figures, members: spendByMember(rows.key, (id) => members.get(id) ?? null) }, { headers: noStore });
});
