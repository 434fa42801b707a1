/**
 * One pipeline for every client protocol: authenticate, validate (the surface),
 * resolve the model, check the key's models, plan candidates, try them
 * (attempt-loop.ts), then answer as JSON or relay the stream (stream-relay.ts) in the
 * client's protocol, translating when the upstream speaks the other one, and settle.
 */
import { randomBytes } from "node:crypto";
import { apiKeyErrorStatus, isApiKeyError } from "./principal.ts";
import { keepJsonAnswer, recallConversation } from "./answer-memory.ts";
import { runAttempts } from "./attempt-loop.ts";
import { type Candidate } from "./routing/candidate.ts";
import { ContentCapture } from "./content-capture.ts";
import { isModelAllowed, noCandidateError, planCandidates, wrongModelKindError } from "./candidates.ts";
import { holdRefused, insufficientCredit } from "./ports/billing.ts";
import { GatewayError } from "./errors.ts";
import type { Answer, Exchange } from "./exchange.ts";
import { IdempotencySession, openIdempotency } from "./idempotency.ts";
import { admitRequest, settleTokens, type RateLimitGrant } from "./rate-limit/rate-limit-gate.ts";
import { selectRateLimitRules } from "./rate-limit/rate-limit-rules.ts";
import { holdFor, prepareAttempts, type PreparedAttempt } from "./holds/upstream-hold.ts";
import { promptTokenBound } from "./holds/prompt-bound.ts";
import { meter } from "./metering/metering.ts";
import type { GatewayDeps } from "./ports/gateway-deps.ts";
import { parseJsonBody } from "./protocols/openai-chat/request-schema.ts";
import { adapterFor } from "./providers/registry.ts";
import { modelLookup, resolveModel } from "./routing/resolve-model.ts";
import { planRoute } from "./routing/route-plan.ts";
import { responseHeaders, settle, type RequestContext } from "./settle.ts";
import { relayStream } from "./stream-relay.ts";
import type { ClientSurface, ServedAs } from "./surfaces/types.ts";
import { isProtocolErrorBody } from "./upstream/upstream-error.ts";
import { tallyFromJson } from "./upstream/upstream-tally.ts";

/** A thrown error as the gateway answers it; `source` names the part that threw, for the log. */
export function toGatewayError(error: unknown, source = "gateway"): GatewayError {
  if (error instanceof GatewayError) return error;
  if (isApiKeyError(error)) {
    const { status, type } = apiKeyErrorStatus(error);
    return new GatewayError(status, type, error.message);
  }
  console.error(`${source}: unexpected error: ${(error as Error)?.message ?? String(error)}`);
  return new GatewayError(500, "internal_server_error", "Something went wrong in the gateway; the error was logged.");
}

/**
 * The output a token limit reserves: the client's max_tokens, or when it sent none, the
 * model's maximum capped at 4,096 (a whole 128k-token maximum would refuse every request
 * on a modest tpm limit). Settlement corrects the reservation to the real usage either way.
 */
export const DEFAULT_OUTPUT_RESERVE = 4096;

export function outputTokenReserve(requestedMaxOutput: number | null, modelMaxOutput: number | null): number {
  return requestedMaxOutput ?? Math.min(modelMaxOutput ?? DEFAULT_OUTPUT_RESERVE, DEFAULT_OUTPUT_RESERVE);
}

export function createGenerationHandler(surface: ClientSurface, deps: GatewayDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => `gen_${randomBytes(12).toString("base64url")}`);

  return async function handleGeneration(request: Exchange): Promise<Answer> {
    const claim: { session: IdempotencySession | null } = { session: null };
    const response = await generate(request, claim);
    return claim.session ? claim.session.finish(response) : response;
  };

  async function generate(request: Exchange, claim: { session: IdempotencySession | null }): Promise<Answer> {
    const receivedAt = now();
    const id = newId();
    const release = deps.drain ? deps.drain.begin() : () => undefined;
    if (!release)
      return surface.errorResponse(
        new GatewayError(503, "service_unavailable", "This Switchyard instance is shutting down; retry the request", undefined, { "retry-after": "1" }),
        { "x-request-id": id },
      );
    let ctx: RequestContext | null = null;
    let grant: RateLimitGrant | null = null;
    try {
      const principal = await deps.authenticate(request);
      if (request.note) request.note.keyId = principal.keyId;
      const body = await request.readBody(deps.config.maxRequestBytes);
      // Before rate limits, holds and upstream calls: a replay or a refusal costs nothing.
      const opened = await openIdempotency(deps.idempotency, {
        request,
        api: surface.api,
        userId: principal.userId,
        body,
        generationId: id,
        now,
        maxBytes: deps.config.idempotencyMaxBytes,
        drain: deps.drain,
      });
      if (opened !== null && !(opened instanceof IdempotencySession)) return opened;
      claim.session = opened;
      const json = parseJsonBody(body);
      // A continuation (Responses' previous_response_id) is parsed with the conversation it continues.
      const parsed = surface.parse(json, request, await recallConversation(surface, deps, json, principal.userId));
      const lookup = modelLookup(await deps.catalog());
      const primary = resolveModel(parsed.model, lookup);
      if (request.note) request.note.model = primary.model.slug;
      if (!isModelAllowed(principal.allowedModels, primary.model))
        throw new GatewayError(403, "access_denied", `This API key may not use ${primary.model.slug}`, "model");
      const kind = surface.modelKind ?? "chat";
      const wrongKind = wrongModelKindError(primary.model, kind);
      if (wrongKind) throw wrongKind;
      // Rate limits come before anything is held or sent: a refused request is not billed,
      // reaches no upstream and leaves no record.
      // An O(bytes) upper bound (holds/prompt-bound.ts), never a tokenizer on the event loop;
      // a prompt longer than the model's context is refused, so it never counts for more.
      // (An embedding model's context bounds each input, not the batch: no clamp.)
      const promptTokens = kind === "embedding" ? promptTokenBound(parsed.body) : Math.min(promptTokenBound(parsed.body), primary.model.contextLength);
      const rules = selectRateLimitRules(principal, primary.model.slug, await deps.rateLimits.settings());
      const admission = await admitRequest(
        deps.rateLimits.counter,
        rules,
        promptTokens + outputTokenReserve(parsed.needs.maxOutputTokens, primary.model.maxOutput),
        now(),
      );
      if (!admission.ok) return surface.errorResponse(admission.error, { "x-request-id": id });
      grant = admission.grant;
      const capture = principal.storeContent ? new ContentCapture(parsed.body, deps.config.contentMaxBytes ?? 256 * 1024) : null;
      ctx = {
        deps,
        api: surface.api,
        now,
        id,
        receivedAt,
        principal,
        parsed,
        resolvedModelSlug: primary.model.slug,
        attempts: [],
        reservation: null,
        idempotency: claim.session,
        capture,
        release,
        rateLimit: { grant, headers: admission.headers },
      };
      const planned = planCandidates(primary, planRoute(parsed.routing, principal.defaultFallbackModel), parsed.needs, {
        lookup,
        upstreams: surface.upstreams,
        modelKind: kind,
        allowedModels: principal.allowedModels,
        health: deps.health,
        credentialFor: deps.credentialFor,
      });
      if (planned.candidates.length === 0) {
        const error = noCandidateError(primary.model, planned.excluded);
        await settle(ctx, { candidate: null, status: "error", httpStatus: error.status, error });
        return surface.errorResponse(error, responseHeaders(ctx, null));
      }
      // Pre-authorisation: hold the most this request could cost before any upstream call,
      // computed from the very bodies the attempts will send.
      const prepared = prepareAttempts(planned.candidates, protocolOf, (candidate, upstream) => surface.upstreamBody(parsed, candidate, upstream), kind);
      const amount = holdFor(prepared);
      const held = await deps.billing.reserve({
        id,
        userId: principal.userId,
        apiKeyId: principal.keyId,
        membershipId: principal.membershipId,
        amountNanoUsd: amount,
      });
      if (!held.ok) {
        const error =
          held.refusedBy === "balance" ? insufficientCredit(amount, await deps.billing.available(principal.userId)) : holdRefused(held.refusedBy, amount);
        await settle(ctx, { candidate: null, status: "error", httpStatus: error.status, error });
        return surface.errorResponse(error, responseHeaders(ctx, null));
      }
      ctx.reservation = { amountNanoUsd: amount };
      return await dispatch(ctx, surface, prepared, planned.exclusive, request);
    } catch (error) {
      // Settled already when the request got as far as settle(); otherwise nothing was used.
      if (grant && !grant.settled) void settleTokens(deps.rateLimits.counter, grant, 0, now()).catch(() => undefined);
      return surface.errorResponse(toGatewayError(error), { ...ctx?.rateLimit.headers, "x-request-id": id });
    } finally {
      // A relayed stream releases when it settles; everything else is done here.
      if (!ctx?.streaming) release();
    }
  }
}

const protocolOf = (candidate: Candidate) => adapterFor(candidate.endpoint.provider.adapter)!.protocol;

async function dispatch(ctx: RequestContext, surface: ClientSurface, prepared: PreparedAttempt[], exclusive: boolean, request: Exchange): Promise<Answer> {
  const { deps, parsed } = ctx;
  const bodies = new Map(prepared.map((attempt) => [attempt.candidate, attempt.body]));
  const result = await runAttempts({
    candidates: prepared.map((attempt) => attempt.candidate),
    buildBody: (candidate) => bodies.get(candidate) ?? surface.upstreamBody(parsed, candidate, protocolOf(candidate)),
    clientHeaders: surface.clientHeaders(request),
    stream: parsed.stream,
    operation: surface.modelKind === "embedding" ? "embeddings" : "generation",
    credentialFor: (candidate) => deps.credentialFor(candidate.endpoint.provider) ?? "",
    transport: deps.transport,
    health: deps.health,
    firstTokenTimeoutMs: deps.config.firstTokenTimeoutMs,
    clientSignal: request.signal,
    now: ctx.now,
    attempts: ctx.attempts,
  });
  const served = (candidate: Candidate): ServedAs => ({
    servedModel: candidate.model.slug,
    id: ctx.id,
    created: Math.floor(ctx.receivedAt / 1000),
    includeUsage: parsed.includeUsage,
    estimatedInputTokens: parsed.needs.estimatedPromptTokens,
    request: parsed.body,
  });

  switch (result.kind) {
    case "aborted":
      await settle(ctx, { candidate: null, status: "aborted", httpStatus: 499 });
      return { status: 499, headers: {}, body: null };
    case "client_error": {
      const sameProtocol = protocolOf(result.candidate) === surface.protocol && isProtocolErrorBody(surface.protocol, result.body);
      const error = new GatewayError(
        result.status,
        result.status === 422 ? "provider_unprocessable_entity_error" : "invalid_params",
        `The provider refused the request (${result.status})${sameProtocol ? "" : `: ${result.body.slice(0, 500)}`}`,
      );
      ctx.capture?.setResponse(result.body);
      await settle(ctx, { candidate: result.candidate, status: "error", httpStatus: result.status, error });
      // The provider's own body when it is an error in the client's protocol; otherwise our error in the client's shape.
      if (!sameProtocol) return surface.errorResponse(error, responseHeaders(ctx, result.candidate));
      return {
        status: result.status,
        headers: { "content-type": result.contentType, "x-should-retry": "false", ...responseHeaders(ctx, result.candidate) },
        body: result.body,
      };
    }
    case "failed": {
      const ownError =
        result.lastBody &&
        result.lastCandidate &&
        protocolOf(result.lastCandidate) === surface.protocol &&
        isProtocolErrorBody(surface.protocol, result.lastBody);
      if (exclusive && result.lastStatus !== null && ownError) {
        // A pinned provider's own error, as it gave it (already redacted), when the client can read it as one.
        const error = new GatewayError(result.lastStatus, "provider_error", `The provider answered ${result.lastStatus}`);
        await settle(ctx, { candidate: null, status: "error", httpStatus: result.lastStatus, error });
        return { status: result.lastStatus, headers: { "content-type": "application/json", ...responseHeaders(ctx, null) }, body: result.lastBody };
      }
      const summary = ctx.attempts.map((a) => `${a.providerSlug}: ${a.httpStatus ?? a.errorType}`).join(", ");
      const last = ctx.attempts.at(-1);
      const error =
        exclusive && result.lastStatus !== null
          ? new GatewayError(result.lastStatus, "provider_error", `The provider failed: ${last?.errorMessage ?? `it answered ${result.lastStatus}`}`)
          : result.allTimeouts
            ? new GatewayError(504, "provider_timeout", `Every provider timed out (${summary})`)
            : new GatewayError(502, "no_provider_available", `Every provider failed (${summary})`);
      await settle(ctx, { candidate: null, status: "error", httpStatus: error.status, error });
      return surface.errorResponse(error, responseHeaders(ctx, null));
    }
    case "json": {
      const upstream = protocolOf(result.candidate);
      const tally = tallyFromJson(upstream, result.body, ctx.now());
      const metering = meter(result.candidate.endpoint.pricings, tally, parsed.needs.estimatedPromptTokens);
      const { payload, headers } = surface.withCost(surface.jsonBody(upstream, result.body, served(result.candidate)), metering.cost);
      const text = JSON.stringify(payload);
      ctx.capture?.setResponse(text);
      // The charge is durable before the answer leaves.
      await settle(ctx, {
        candidate: result.candidate,
        status: "success",
        httpStatus: 200,
        finishReason: tally.finishReason,
        metering,
        ttftMs: ctx.now() - ctx.receivedAt,
      });
      keepJsonAnswer(ctx, surface, payload);
      return { status: 200, headers: { "content-type": "application/json", ...headers, ...responseHeaders(ctx, result.candidate) }, body: text };
    }
    case "stream":
      return relayStream(ctx, surface, result, served(result.candidate));
  }
}
