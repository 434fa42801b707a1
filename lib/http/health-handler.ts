import "server-only";
/** GET /api/health: 200 when the database answers, 503 otherwise (for load balancers). */
import { getDb, pingDb } from "../db/client.ts";
import { jsonResponse } from "./json-response.ts";

export async function handleHealth(): Promise<Response> {
  const databaseUp = await pingDb(getDb());
  return jsonResponse(
    { status: databaseUp ? "ok" : "unavailable", database: databaseUp ? "ok" : "unreachable" },
    { status: databaseUp ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
