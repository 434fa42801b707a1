import "server-only";
/** Route handlers for the public model lists and single models; no key needed, served from memory. */
import { z } from "zod";
import { GatewayError } from "../../gateway/errors.ts";
import { cacheableJsonResponse, jsonResponse } from "../../http/json-response.ts";
import { surfaceErrorAnswer } from "../../server/api-edges.ts";
import type { ApiProtocol } from "../../server/api-routes.ts";
import { responseOfAnswer } from "../../server/web-door.ts";
import { getCatalogSnapshot } from "../catalog-cache.ts";
import type { ModelView } from "../../gateway/catalog-view/catalog-types.ts";
import { parseGeminiPath } from "../../gateway/protocols/google-gemini/gemini-path.ts";
import {
  findListedModel,
  toAnthropicModel,
  toAnthropicModelList,
  toGeminiModel,
  toGeminiModelList,
  toZenMuxModel,
  toZenMuxModelList,
} from "../../public-pages/public-model-lists.ts";

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

/**
 * One model by the rest of the path after `prefix`: slugs keep their slash, sent raw
 * (`/models/openai/gpt-4o`) or encoded as the SDKs send it (`/models/openai%2Fgpt-4o`).
 */
async function retrieveModel(request: Request, prefix: string, protocol: ApiProtocol, shape: (model: ModelView) => object): Promise<Response> {
  const rest = new URL(request.url).pathname.slice(prefix.length);
  let reference: string | null;
  try {
    reference = decodeURIComponent(rest);
  } catch {
    reference = null;
  }
  const model = reference ? findListedModel(await getCatalogSnapshot(), reference) : null;
  if (!model) {
    const list = prefix.slice(0, -1);
    return responseOfAnswer(
      surfaceErrorAnswer(
        protocol,
        new GatewayError(404, "invalid_model", `Model ${reference ?? rest} does not exist on this gateway: see GET ${list} for the models it serves`, "model"),
      ),
    );
  }
  return cacheableJsonResponse(request, shape(model), LIST_MAX_AGE_SECONDS);
}

export function handleRetrieveModel(request: Request): Promise<Response> {
  return retrieveModel(request, "/api/v1/models/", "openai", toZenMuxModel);
}

export function handleRetrieveAnthropicModel(request: Request): Promise<Response> {
  return retrieveModel(request, "/api/anthropic/v1/models/", "anthropic", toAnthropicModel);
}

const geminiQuerySchema = z.object({
  pageSize: z.coerce.number().int().min(1).max(1000).optional(),
  pageToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "is not a page token this gateway gave")
    .optional(),
});

/** GET /api/vertex-ai/{v1,v1beta}/models: Google's list shape, paged by pageSize/pageToken. */
export async function handleListGeminiModels(request: Request): Promise<Response> {
  const query = geminiQuerySchema.safeParse(Object.fromEntries([...new URL(request.url).searchParams].filter(([name]) => name !== "key")));
  if (!query.success) {
    const issue = query.error.issues[0];
    return responseOfAnswer(surfaceErrorAnswer("google", new GatewayError(400, "invalid_params", `${issue.path.join(".")}: ${issue.message}`)));
  }
  return cacheableJsonResponse(request, toGeminiModelList(await getCatalogSnapshot(), query.data), LIST_MAX_AGE_SECONDS);
}

/** GET …/models/{model} (and the Vertex publishers/… form): one model in Google's shape; a path with a :method is not a GET. */
export async function handleRetrieveGeminiModel(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  const named = parseGeminiPath(path);
  if (named?.method) {
    return responseOfAnswer(
      surfaceErrorAnswer("google", new GatewayError(405, "method_not_allowed", `Method GET is not allowed on :${named.method.slice(0, 60)}; it answers POST`), {
        allow: "POST, OPTIONS",
      }),
    );
  }
  const model = named ? findListedModel(await getCatalogSnapshot(), named.model) : null;
  if (!model) {
    return responseOfAnswer(
      surfaceErrorAnswer(
        "google",
        new GatewayError(
          404,
          "invalid_model",
          `Model ${named?.model ?? path.slice(0, 200)} does not exist on this gateway: see GET /api/vertex-ai/v1beta/models for the models it serves`,
          "model",
        ),
      ),
    );
  }
  return cacheableJsonResponse(request, toGeminiModel(model), LIST_MAX_AGE_SECONDS);
}
