/** POST /v1/messages/count_tokens on the Anthropic surface: {"input_tokens": N}. */
import { GatewayError } from "./errors.ts";
import type { GatewayDeps } from "./ports.ts";
import { anthropicErrorResponse } from "./protocols/anthropic-messages/errors.ts";
import { parseMessagesRequest } from "./protocols/anthropic-messages/request-schema.ts";
import { readBoundedJson } from "./protocols/openai-chat/request-schema.ts";
import { modelLookup, resolveModel } from "./routing/resolve-model.ts";
import { countMessagesTokens } from "./tokens/count-tokens.ts";
import { ApiKeyError } from "../keys/key-types.ts";

export function createCountTokensHandler(deps: Pick<GatewayDeps, "authenticate" | "catalog" | "config">) {
  return async function handleCountTokens(request: Request): Promise<Response> {
    try {
      await deps.authenticate(request);
      const body = await readBoundedJson(request, deps.config.maxRequestBytes);
      // count_tokens takes a Messages request without max_tokens.
      const parsed = parseMessagesRequest(body && typeof body === "object" && !Array.isArray(body) ? { max_tokens: 1, ...body } : body);
      resolveModel(parsed.model, modelLookup(await deps.catalog()));
      return new Response(JSON.stringify({ input_tokens: countMessagesTokens(parsed) }), { headers: { "content-type": "application/json" } });
    } catch (error) {
      const gatewayError =
        error instanceof GatewayError ? error : error instanceof ApiKeyError ? new GatewayError(error.reason === "suspended" ? 403 : 401, "invalid_api_key", error.message) : new GatewayError(500, "internal_server_error", "Something went wrong");
      return anthropicErrorResponse(gatewayError);
    }
  };
}
