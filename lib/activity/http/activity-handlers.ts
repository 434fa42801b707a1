import "server-only";
/** Console API for the activity page: the list, one call's detail, the filter menus and the CSV export. */
import { stringify } from "csv-stringify/sync";
import { getCatalogSnapshot } from "../../catalog/catalog-cache.ts";
import { getDb } from "../../db/client.ts";
import { apiErrorResponse } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { parseActivityFilters } from "../activity-filters.ts";
import { findActivityDetail } from "../activity-detail.ts";
import { activityFilterOptions, iterateActivity, listActivity, type ActivityRowDto } from "../activity-query.ts";
import { caughtUpRecords } from "./caught-up.ts";

const noStore = { "cache-control": "no-store" };

export const handleListActivity = consoleRoute(async ({ request, user }) => {
  const params = new URL(request.url).searchParams;
  const filters = parseActivityFilters(params, user);
  await caughtUpRecords();
  return jsonResponse(
    await listActivity(getDb(), filters, { cursor: params.get("cursor"), q: params.get("q"), limit: Number(params.get("limit")) || undefined }),
    { headers: noStore },
  );
});

export const handleActivityDetail = consoleRoute<{ id: string }>(async ({ user, params }) => {
  await caughtUpRecords();
  const detail = await findActivityDetail(getDb(), params.id, user.role === "admin" ? null : user.id);
  if (!detail) return apiErrorResponse(404, "not_found", `Generation ${params.id} not found`);
  return jsonResponse(detail, { headers: noStore });
});

export const handleActivityOptions = consoleRoute(async ({ request, user }) => {
  const { userId } = parseActivityFilters(new URL(request.url).searchParams, user);
  const snapshot = await getCatalogSnapshot();
  const options = await activityFilterOptions(getDb(), userId, {
    models: snapshot.models.map((m) => m.slug),
    providers: snapshot.providers.map((p) => p.slug),
  });
  const accounts = user.role === "admin" ? await getDb().user.findMany({ select: { id: true, email: true }, orderBy: { email: "asc" }, take: 1000 }) : [];
  return jsonResponse({ ...options, accounts }, { headers: noStore });
});

const CSV_COLUMNS = [
  "generation_id",
  "created_at",
  "account",
  "api_key",
  "api",
  "upstream_api",
  "requested_model",
  "model",
  "provider",
  "streamed",
  "status",
  "http_status",
  "finish_reason",
  "prompt_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "completion_tokens",
  "reasoning_tokens",
  "cost_usd",
  "latency_ms",
  "ttft_ms",
  "throughput_tps",
  "attempts",
  "error",
];

function csvRecord(row: ActivityRowDto): unknown[] {
  return [
    row.id,
    row.createdAt,
    row.account,
    row.apiKey ? `${row.apiKey.name} (${row.apiKey.start}…)` : "",
    row.api,
    row.upstreamApi ?? "",
    row.requestedModel,
    row.model,
    row.provider ?? "",
    row.streamed,
    row.status,
    row.httpStatus,
    row.finishReason ?? "",
    row.tokens.prompt,
    row.tokens.cacheRead,
    row.tokens.cacheWrite,
    row.tokens.completion,
    row.tokens.reasoning,
    row.costUsd,
    row.latencyMs ?? "",
    row.ttftMs ?? "",
    row.throughput === null ? "" : row.throughput.toFixed(1),
    row.attempts,
    row.error ?? "",
  ];
}

/**
 * The filtered view as CSV, streamed a thousand rows at a time so an export of millions
 * of rows never sits in memory. Text cells that a spreadsheet would run as a formula
 * (=, +, -, @) are quoted with a leading apostrophe.
 */
export const handleExportActivity = consoleRoute(async ({ request, user }) => {
  const filters = parseActivityFilters(new URL(request.url).searchParams, user);
  await caughtUpRecords();
  const db = getDb();
  const encoder = new TextEncoder();
  const rows = iterateActivity(db, filters);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(stringify([CSV_COLUMNS])));
    },
    async pull(controller) {
      try {
        const next = await rows.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(stringify(next.value.map((row) => csvRecord(row).map(defuseFormula)))));
      } catch (error) {
        console.error(`activity export failed: ${(error as Error).message}`);
        controller.error(error);
      }
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(body, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="switchyard-activity-${stamp}.csv"`, ...noStore },
  });
});

function defuseFormula(value: unknown): unknown {
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
