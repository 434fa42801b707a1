import "server-only";
/** Console API for the activity page: the list, one call's detail, the filter menus and the CSV export. */
import { stringify } from "csv-stringify/sync";
import { getCatalogSnapshot } from "../../catalog/catalog-cache.ts";
import { getDb } from "../../db/client.ts";
import { apiErrorResponse } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { findActivityDetail } from "../activity-detail.ts";
import { memberOptions, scopedActivityFilters } from "./activity-scope.ts";
import { accountLabel, activityFilterOptions, iterateActivity, listActivity, type ActivityRowDto } from "../activity-query.ts";
import { caughtUpRecords } from "./caught-up.ts";

const noStore = { "cache-control": "no-store" };

export const handleListActivity = consoleRoute(async ({ request, user, account }) => {
  const params = new URL(request.url).searchParams;
  const filters = await scopedActivityFilters(params, { user, account });
  await caughtUpRecords();
  return jsonResponse(
    await listActivity(getDb(), filters, { cursor: params.get("cursor"), q: params.get("q"), limit: Number(params.get("limit")) || undefined }),
    { headers: noStore },
  );
});

export const handleActivityDetail = consoleRoute<{ id: string }>(async ({ user, account, params }) => {
  await caughtUpRecords();
  const scope = await scopedActivityFilters(new URLSearchParams(), { user, account });
  const detail = await findActivityDetail(getDb(), params.id, account.kind === "personal" && user.role === "admin" ? null : scope.userId, scope.apiKeyIds);
  if (!detail) return apiErrorResponse(404, "not_found", `Generation ${params.id} not found`);
  return jsonResponse(detail, { headers: noStore });
});

export const handleActivityOptions = consoleRoute(async ({ request, user, account }) => {
  const { userId } = await scopedActivityFilters(new URL(request.url).searchParams, { user, account });
  const snapshot = await getCatalogSnapshot();
  const options = await activityFilterOptions(getDb(), userId, {
    models: snapshot.models.map((m) => m.slug),
    providers: snapshot.providers.map((p) => p.slug),
  });
  // The instance admin's account filter, in their personal view: people by email, organizations by name.
  const accounts =
    account.kind === "personal" && user.role === "admin"
      ? (await getDb().user.findMany({ select: { id: true, email: true, kind: true, name: true }, orderBy: { email: "asc" }, take: 1000 })).map((a) => ({
          id: a.id,
          email: accountLabel(a),
        }))
      : [];
  return jsonResponse({ ...options, accounts, members: await memberOptions(account) }, { headers: noStore });
});

const CSV_COLUMNS = [
  "generation_id",
  "created_at",
  "account",
  "member",
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
    row.member ?? "",
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
export const handleExportActivity = consoleRoute(async ({ request, user, account }) => {
  const filters = await scopedActivityFilters(new URL(request.url).searchParams, { user, account });
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
