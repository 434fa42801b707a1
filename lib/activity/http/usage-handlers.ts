import "server-only";
/**
 * Console API for the Usage page and the dashboard, from the hourly rollups:
 * GET /api/console/usage          chart-ready data for the filters in the query string
 * GET /api/console/usage/options  what the filters offer (accounts too, for admins)
 * GET /api/console/usage/summary  the dashboard's figures for the signed-in account
 */
import { z } from "zod";
import { getDb } from "../../db/client.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { parseInput } from "../../http/validation-error.ts";
import { parseActivityFilters } from "../activity-filters.ts";
import { dashboardWindowStart, prepareDashboardFigures } from "../dashboard-figures.ts";
import { GRANULARITIES, isValidTimeZone, resolveChartRange } from "../usage-buckets.ts";
import { prepareUsageCharts } from "../usage-charts.ts";
import { findFirstUsageHour, listUsageFilterOptions, loadKeyLabels, queryUsageRows } from "../usage-query.ts";

const noStore = { "cache-control": "no-store" };

const timeZoneSchema = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || "UTC")
  .refine(isValidTimeZone, { error: "tz must be an IANA time zone, like Europe/Paris" });

const chartParamsSchema = z.object({
  granularity: z.enum(GRANULARITIES, { error: "granularity must be hour, day or month" }).optional(),
  tz: timeZoneSchema,
});

export const handleUsage = consoleRoute(async ({ request, user }) => {
  const params = new URL(request.url).searchParams;
  const now = new Date();
  const filters = parseActivityFilters(params, user, { defaultRange: "7d", now });
  const { granularity, tz } = parseInput(chartParamsSchema, { granularity: params.get("granularity") || undefined, tz: params.get("tz") ?? undefined });
  const scope = { userId: filters.userId, from: filters.from, to: filters.to, apiKeyId: filters.apiKeyId, model: filters.model, provider: filters.provider };
  const db = getDb();
  const to = filters.to && filters.to < now ? filters.to : now;
  // "All time" starts at the scope's first rollup; with none there is nothing to chart.
  const from = filters.from ?? (await findFirstUsageHour(db, scope)) ?? to;
  const range = resolveChartRange({ from: from.getTime(), to: to.getTime(), granularity: granularity ?? null, timeZone: tz });
  const rows = await queryUsageRows(db, { ...scope, from: new Date(range.from), to });
  const keyLabels = await loadKeyLabels(db, rows.map((row) => row.apiKeyId));
  const charts = prepareUsageCharts(rows, range, { keyLabel: (id) => keyLabels.get(id) ?? "Unknown key" });
  return jsonResponse(charts, { headers: noStore });
});

export const handleUsageOptions = consoleRoute(async ({ request, user }) => {
  const account = new URL(request.url).searchParams.get("account") || null;
  const isAdmin = user.role === "admin";
  const options = await listUsageFilterOptions(getDb(), isAdmin ? account : user.id, { includeAccounts: isAdmin });
  return jsonResponse(options, { headers: noStore });
});

export const handleDashboardSummary = consoleRoute(async ({ request, user }) => {
  const { tz } = parseInput(z.object({ tz: timeZoneSchema }), { tz: new URL(request.url).searchParams.get("tz") ?? undefined });
  const now = new Date();
  const rows = await queryUsageRows(getDb(), { userId: user.id, from: dashboardWindowStart(now, tz), to: null });
  return jsonResponse(prepareDashboardFigures(rows, now, tz), { headers: noStore });
});
