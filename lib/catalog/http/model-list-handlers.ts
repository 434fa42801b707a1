import "server-only";
/** Route handlers for the public model lists; no key needed, served from memory. */
import { z } from "zod";
import { cacheableJsonResponse, jsonResponse } from "../../http/json-response.ts";
import { getCatalogSnapshot } from "../catalog-cache.ts";
import { toAnthropicModelList, toZenMuxModelList } from "../public-model-lists.ts";

const LIST_MAX_AGE_SECONDS = 60;

export async function handleListModels(request: Request): Promise<Response> {
  return cacheableJsonResponse(request, toZenMuxModelList(await getCatalogSnapshot()), LIST_MAX_AGE_SECONDS);
}

const anthropicQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  after_id: z.string().min(1).optional(),
  before_id: z.string().min(1).optional(),
});

export async function handleListAnthropicModels(request: Request): Promise<Response> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const query = anthropicQuerySchema.safeParse(params);
  if (!query.success) {
    const issue = query.error.issues[0];
    return jsonResponse(
      { type: "error", error: { type: "invalid_request_error", message: `${issue.path.join(".")}: ${issue.message}` } },
      { status: 400, headers: { "x-should-retry": "false" } },
    );
  }
  const { limit, after_id: afterId, before_id: beforeId } = query.data;
  return cacheableJsonResponse(request, toAnthropicModelList(await getCatalogSnapshot(), { limit, afterId, beforeId }), LIST_MAX_AGE_SECONDS);
}
