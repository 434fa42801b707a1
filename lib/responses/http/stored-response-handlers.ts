import "server-only";
/**
 * GET and DELETE /api/v1/responses/{id}, GET /api/v1/responses/{id}/input_items: an
 * account's stored Responses answers, by API key, in OpenAI's shapes and errors. Another
 * account's id, an expired or a deleted one is a 404, as an unknown one is.
 */
import { GatewayError } from "../../gateway/errors.ts";
import { toGatewayError } from "../../gateway/generation-handler.ts";
import { openAiErrorAnswer } from "../../gateway/protocols/openai-chat/errors.ts";
import { authenticateRequest } from "../../keys/key-auth.ts";
import { getGateway } from "../../server/gateway.ts";
import { responseOfAnswer } from "../../server/web-door.ts";
import { pageOfInputItems, parseInputItemsQuery } from "../input-items-page.ts";
import type { ResponseStoreService } from "../response-store.ts";

const PREFIX = "/api/v1/responses/";

type Scope = { store: ResponseStoreService; userId: string; id: string; url: URL };

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
}

const notFound = (id: string) => new GatewayError(404, "not_found", `Response with id '${id}' not found.`);

const errorOf = (error: unknown) => toGatewayError(error, "responses");

/** Authentication, the id from the path and error mapping, once for the three handlers. */
function storedResponseRoute(handle: (scope: Scope) => Promise<unknown>) {
  return async (request: Request): Promise<Response> => {
    try {
      const principal = await authenticateRequest(request);
      const url = new URL(request.url);
      const id = decodeURIComponent(url.pathname.slice(PREFIX.length).split("/")[0]);
      return json(await handle({ store: getGateway().storedResponses, userId: principal.userId, id, url }));
    } catch (error) {
      return responseOfAnswer(openAiErrorAnswer(errorOf(error)));
    }
  };
}

export const handleGetStoredResponse = storedResponseRoute(async ({ store, userId, id }) => {
  const stored = await store.find(id, userId);
  if (!stored) throw notFound(id);
  return { ...stored.response, output: stored.outputItems };
});

export const handleDeleteStoredResponse = storedResponseRoute(async ({ store, userId, id }) => {
  if (!(await store.remove(id, userId))) throw notFound(id);
  return { id, object: "response", deleted: true };
});

export const handleListInputItems = storedResponseRoute(async ({ store, userId, id, url }) => {
  const query = parseInputItemsQuery(url.searchParams);
  const stored = await store.find(id, userId);
  if (!stored) throw notFound(id);
  return pageOfInputItems(stored.inputItems, id, query);
});
