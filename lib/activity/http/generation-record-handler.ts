import "server-only";
/** GET /api/v1/generation?id= (and /api/v1/management/generation, ZenMux's newer path). */
import { getDb } from "../../db/client.ts";
import { apiErrorResponse, errorToResponse } from "../../http/api-error.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { authenticateRequest } from "../../keys/key-auth.ts";
import { toGenerationRecord } from "../generation-record.ts";
import { findGenerationForUser } from "../generation-service.ts";
import { getGateway } from "../../server/gateway.ts";

export async function handleGetGeneration(request: Request): Promise<Response> {
  try {
    const principal = await authenticateRequest(request);
    const id = new URL(request.url).searchParams.get("id")?.trim();
    if (!id) return apiErrorResponse(400, "invalid_params", "Parameter id is required");
    // A call from a moment ago may still be in the write batch: memory first.
    const row = getGateway().writer.recent(id, principal.userId) ?? (await findGenerationForUser(getDb(), principal.userId, id));
    if (!row) return apiErrorResponse(404, "not_found", `Generation ${id} not found`);
    return jsonResponse(toGenerationRecord(row), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorToResponse(error);
  }
}
