/**
 * Token counting, asked for by the client: POST /v1/messages/count_tokens on the Anthropic
 * surface ({"input_tokens": N}) and POST …/models/{model}:countTokens on the Gemini surface
 * ({"totalTokens": N}). The one place a prompt is tokenized, because the client asks for
 * the count; so it is bounded (a body byte limit of its own, checked before anything is
 * read or parsed) and counts as a request against the key's and account's request budgets.
 */
import type { GatewayError } from "./errors.ts";
import type { GatewayDeps } from "./ports/gateway-deps.ts";
import type { Answer, Exchange } from "./exchange.ts";
import { toGatewayError } from "./generation-handler.ts";
import { anthropicErrorAnswer } from "./protocols/anthropic-messages/errors.ts";
import { parseMessagesRequest } from "./protocols/anthropic-messages/request-schema.ts";
import { parseJsonBody } from "./protocols/openai-chat/request-schema.ts";
import { admitRequest, settleTokens } from "./rate-limit/rate-limit-gate.ts";
import { selectRateLimitRules } from "./rate-limit/rate-limit-rules.ts";
import { modelLookup, resolveModel } from "./routing/resolve-model.ts";
import { tokenizableParts, type CountableRequest } from "./tokens/tokenizable-parts.ts";

/** What a protocol's count request is, and how its answer and errors are written. */
export type CountTokensProtocol = {
  /** The model named and the prompt to count (as a Messages-shaped request), from the body and path. */
  read(body: unknown, request: { path: string }): { model: string; prompt: CountableRequest };
  answer(tokens: number): Record<string, unknown>;
  errorAnswer(error: GatewayError, headers?: Record<string, string>): Answer;
};

export const anthropicCountTokens: CountTokensProtocol = {
  read(body) {
    // count_tokens takes a Messages request without max_tokens.
    const parsed = parseMessagesRequest(body && typeof body === "object" && !Array.isArray(body) ? { max_tokens: 1, ...body } : body);
    return { model: parsed.model, prompt: parsed };
  },
  answer: (tokens) => ({ input_tokens: tokens }),
  errorAnswer: anthropicErrorAnswer,
};

/** Tokenizing 1 MiB takes ~0.5 s of one core (on the count_tokens worker, not the event loop). */
export const DEFAULT_COUNT_TOKENS_MAX_BYTES = 1024 * 1024;

/** The count: on the deps' token counter (a worker thread in the server), else inline, loading the tokenizer on first use. */
async function countTokensOf(request: CountableRequest, counter: GatewayDeps["tokenCounter"]): Promise<number> {
  const parts = tokenizableParts(request);
  if (counter) return counter.count(parts);
  const { countPartsTokens } = await import("./tokens/count-tokens.ts");
  return countPartsTokens(parts);
}

export function createCountTokensHandler(
  deps: Pick<GatewayDeps, "authenticate" | "catalog" | "config" | "rateLimits" | "now" | "tokenCounter">,
  protocol: CountTokensProtocol = anthropicCountTokens,
) {
  const now = deps.now ?? Date.now;
  return async function handleCountTokens(request: Exchange): Promise<Answer> {
    let headers: Record<string, string> = {};
    try {
      const principal = await deps.authenticate(request);
      if (request.note) request.note.keyId = principal.keyId;
      const maxBytes = Math.min(deps.config.countTokensMaxBytes ?? DEFAULT_COUNT_TOKENS_MAX_BYTES, deps.config.maxRequestBytes);
      const { model: reference, prompt } = protocol.read(parseJsonBody(await request.readBody(maxBytes)), request);
      const { model } = resolveModel(reference, modelLookup(await deps.catalog()));
      // A count is a request, not tokens: only the request budgets apply.
      const rules = selectRateLimitRules(principal, model.slug, await deps.rateLimits.settings()).map((rule) => ({ ...rule, tpm: null }));
      const admission = await admitRequest(deps.rateLimits.counter, rules, 0, now());
      if (!admission.ok) return protocol.errorAnswer(admission.error);
      headers = admission.headers;
      await settleTokens(deps.rateLimits.counter, admission.grant, 0, now());
      return {
        status: 200,
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(protocol.answer(await countTokensOf(prompt, deps.tokenCounter))),
      };
    } catch (error) {
      // The same mapping as a generation's (a suspended account is 403 access_denied there too).
      return protocol.errorAnswer(toGatewayError(error), headers);
    }
  };
}
