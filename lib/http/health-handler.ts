import "server-only";
/**
 * GET /api/health: 200 when the database answers, 503 otherwise (for load balancers),
 * with the activity queue's figures (counts only: no record, no error text).
 */
import { getDb, pingDb } from "../db/client.ts";
import { generationQueueStats } from "../server/gateway.ts";
import { jsonResponse } from "./json-response.ts";

export async function handleHealth(): Promise<Response> {
  const databaseUp = await pingDb(getDb());
  const { queued, limit, parked, dropped } = generationQueueStats();
  const activityQueue = { queued, limit, parked, dropped };
  return jsonResponse(
    { status: databaseUp ? "ok" : "unavailable", database: databaseUp ? "ok" : "unreachable", activityQueue },
    { status: databaseUp ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
