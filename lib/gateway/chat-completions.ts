/**
 * POST /chat/completions, protocol to protocol: authenticate, validate, resolve the
 * model, plan candidates, try them (attempt-loop.ts), then answer as JSON or relay the
 * stream (chat-stream.ts), and settle: cost, health, the generation record.
 */
import { randomBytes } from "node:crypto";
import { ApiKeyError } from "../keys/key-types.ts";
import { runAttempts, type Candidate } from "./attempt-loop.ts";
import { isModelAllowed, noCandidateError, planCandidates } from "./chat-candidates.ts";
import { relayChatStream } from "./chat-stream.ts";
import { GatewayError } from "./errors.ts";
import { meterOpenAi } from "./metering.ts";
import { responseHeaders, settle, type ChatContext } from "./chat-settle.ts";
import type { GatewayDeps } from "./ports.ts";
import { openAiErrorResponse } from "./protocols/openai-chat/errors.ts";
import { GATEWAY_ONLY_FIELDS, parseChatRequest, readBoundedJson, type ChatRequest } from "./protocols/openai-chat/request-schema.ts";
import type { OpenAiUsage } from "./protocols/openai-chat/stream-relay.ts";
import { readRequestNeeds } from "./routing/request-needs.ts";
import { modelLookup, resolveModel } from "./routing/resolve-model.ts";
import { planRoute } from "./routing/route-plan.ts";

function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof ApiKeyError) return error.reason === "suspended" ? new GatewayError(403, "access_denied", error.message) : new GatewayError(401, "invalid_api_key", error.message);
  console.error(`gateway: unexpected error: ${(error as Error)?.message ?? String(error)}`);
  return new GatewayError(500, "internal_server_error", "Something went wrong in the gateway; the error was logged.");
}

export function createChatCompletionsHandler(deps: GatewayDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => `gen_${randomBytes(12).toString("base64url")}`);

  return async function handleChatCompletion(request: Request): Promise<Response> {
    const receivedAt = now();
    const id = newId();
    let ctx: ChatContext | null = null;
    try {
      const principal = await deps.authenticate(request);
      const body = parseChatRequest(await readBoundedJson(request, deps.config.maxRequestBytes));
      const lookup = modelLookup(await deps.catalog());
      const primary = resolveModel(body.model, lookup);
      if (!isModelAllowed(principal.allowedModels, primary.model)) throw new GatewayError(403, "access_denied", `This API key may not use ${primary.model.slug}`, "model");
      const needs = readRequestNeeds(body);
      ctx = { deps, now, id, receivedAt, principal, body, estimatedPromptTokens: needs.estimatedPromptTokens, attempts: [] };
      const planned = planCandidates(primary, planRoute(body, principal.defaultFallbackModel), needs, { lookup, allowedModels: principal.allowedModels, health: deps.health, credentialFor: deps.credentialFor });
      if (planned.candidates.length === 0) {
        const error = noCandidateError(primary.model, planned.excluded);
        settle(ctx, { candidate: null, status: "error", httpStatus: error.status, error });
        return openAiErrorResponse(error, responseHeaders(ctx, null));
      }
      return await dispatch(ctx, planned.candidates, planned.exclusive, request.signal);
    } catch (error) {
      const gatewayError = toGatewayError(error);
      return openAiErrorResponse(gatewayError, { "x-request-id": id });
    }
  };
}

function upstreamBody(body: ChatRequest): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...body };
  for (const field of GATEWAY_ONLY_FIELDS) delete copy[field];
  return copy;
}

async function dispatch(ctx: ChatContext, candidates: Candidate[], exclusive: boolean, clientSignal: AbortSignal): Promise<Response> {
  const { deps, body } = ctx;
  const result = await runAttempts({
    candidates,
    buildBody: () => upstreamBody(body),
    stream: body.stream === true,
    credentialFor: (candidate) => deps.credentialFor(candidate.endpoint.provider) ?? "",
    transport: deps.transport,
    health: deps.health,
    firstTokenTimeoutMs: deps.config.firstTokenTimeoutMs,
    clientSignal,
    now: ctx.now,
    attempts: ctx.attempts,
  });

  switch (result.kind) {
    case "aborted":
      settle(ctx, { candidate: null, status: "aborted", httpStatus: 499 });
      return new Response(null, { status: 499 });
    case "client_error": {
      const error = new GatewayError(result.status, result.status === 422 ? "provider_unprocessable_entity_error" : "invalid_params", `The provider refused the request (${result.status})`);
      settle(ctx, { candidate: result.candidate, status: "error", httpStatus: result.status, error });
      return new Response(result.body, { status: result.status, headers: { "content-type": result.contentType, "x-should-retry": "false", ...responseHeaders(ctx, result.candidate) } });
    }
    case "failed": {
      if (exclusive && result.lastStatus !== null && result.lastBody) {
        // A pinned provider's own error, as it gave it (already redacted).
        const error = new GatewayError(result.lastStatus, "provider_error", `The provider answered ${result.lastStatus}`);
        settle(ctx, { candidate: null, status: "error", httpStatus: result.lastStatus, error });
        return new Response(result.lastBody, { status: result.lastStatus, headers: { "content-type": "application/json", ...responseHeaders(ctx, null) } });
      }
      const summary = ctx.attempts.map((a) => `${a.providerSlug}: ${a.httpStatus ?? a.errorType}`).join(", ");
      const error = result.allTimeouts
        ? new GatewayError(504, "provider_timeout", `Every provider timed out (${summary})`)
        : new GatewayError(502, "no_provider_available", `Every provider failed (${summary})`);
      settle(ctx, { candidate: null, status: "error", httpStatus: error.status, error });
      return openAiErrorResponse(error, responseHeaders(ctx, null));
    }
    case "json": {
      const endpoint = result.candidate.endpoint;
      const payload: Record<string, unknown> = { ...result.body, model: result.candidate.model.slug };
      const metering = meterOpenAi(endpoint.pricings, (payload.usage as OpenAiUsage | undefined) ?? null, { promptTokens: ctx.estimatedPromptTokens, producedChars: JSON.stringify(payload.choices ?? "").length });
      const choices = (payload.choices as { finish_reason?: string }[] | undefined) ?? [];
      settle(ctx, { candidate: result.candidate, status: "success", httpStatus: 200, finishReason: choices[0]?.finish_reason ?? null, metering, ttftMs: ctx.now() - ctx.receivedAt });
      return new Response(JSON.stringify(payload), { status: 200, headers: { "content-type": "application/json", ...responseHeaders(ctx, result.candidate) } });
    }
    case "stream":
      return relayChatStream(ctx, result);
  }
}
