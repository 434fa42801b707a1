/**
 * The pre-authorisation hold, computed from what is really sent upstream: each
 * candidate's body is built once (after translation, with the output cap the gateway
 * adds), and the hold is the largest, over candidates, of (prompt bound + that body's
 * output cap) at that endpoint's prices. The attempt loop sends these same bodies.
 */
import { maxCostBound } from "../metering/max-cost.ts";
import type { ModelKind } from "../catalog-view/model-kind.ts";
import type { Candidate } from "../routing/candidate.ts";
import { GatewayError } from "../errors.ts";
import type { WireProtocol } from "../providers/types.ts";
import { promptTokenBound } from "./prompt-bound.ts";

type Json = Record<string, unknown>;

/**
 * The output a request reserves when neither the client nor the catalog caps it; the
 * gateway then sends this cap upstream, so the hold stays a bound.
 */
export const DEFAULT_OUTPUT_CAP = 4096;

/** The largest hold a signed 64-bit nano-USD column can take (about $9.2 billion). */
export const MAX_HOLD_NANO_USD = 2n ** 63n - 1n;

export type PreparedAttempt = { candidate: Candidate; body: Json; promptBound: number; outputCap: number };

const catalogMaxOutput = ({ model, endpoint }: Candidate): number | null => endpoint.maxOutput ?? model.maxOutput ?? null;
const positive = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) && value > 0 ? value : null);

/**
 * The body with an output cap the upstream understands, and that cap. Anthropic bodies
 * always carry max_tokens. A Responses body keeps the client's max_output_tokens. An OpenAI Chat body keeps the client's max_completion_tokens or
 * max_tokens; without either, the catalog's max output bounds what the provider may
 * produce, and without that the gateway sends max_tokens itself. A Gemini body follows the
 * same rules with generationConfig.maxOutputTokens.
 */
export function withOutputCap(body: Json, protocol: WireProtocol, candidate: Candidate): { body: Json; outputCap: number } {
  if (protocol === "google-gemini") return withGeminiOutputCap(body, candidate);
  if (protocol === "anthropic-messages") return { body, outputCap: positive(body.max_tokens) ?? catalogMaxOutput(candidate) ?? DEFAULT_OUTPUT_CAP };
  // Responses names its cap max_output_tokens (and refuses max_tokens).
  const capField = protocol === "openai-responses" ? "max_output_tokens" : "max_tokens";
  const requested = protocol === "openai-responses" ? positive(body.max_output_tokens) : (positive(body.max_completion_tokens) ?? positive(body.max_tokens));
  if (requested !== null) return { body, outputCap: requested };
  const catalog = catalogMaxOutput(candidate);
  if (catalog !== null) return { body, outputCap: catalog };
  return { body: { ...body, [capField]: DEFAULT_OUTPUT_CAP }, outputCap: DEFAULT_OUTPUT_CAP };
}

/** Gemini's cap is generationConfig.maxOutputTokens (thoughts count against it, so output never exceeds it). */
function withGeminiOutputCap(body: Json, candidate: Candidate): { body: Json; outputCap: number } {
  const config = body.generationConfig !== null && typeof body.generationConfig === "object" ? (body.generationConfig as Json) : {};
  const requested = positive(config.maxOutputTokens);
  if (requested !== null) return { body, outputCap: requested };
  const catalog = catalogMaxOutput(candidate);
  if (catalog !== null) return { body, outputCap: catalog };
  return { body: { ...body, generationConfig: { ...config, maxOutputTokens: DEFAULT_OUTPUT_CAP } }, outputCap: DEFAULT_OUTPUT_CAP };
}

/** The prompt bound, clamped to the context: a longer prompt is refused, not billed. */
export function clampToContext(bound: number, candidate: Candidate): number {
  const context = candidate.endpoint.contextLength ?? candidate.model.contextLength;
  return Math.min(bound, context);
}

/**
 * Embeddings produce no tokens to cap, and an embedding model's context bounds each input
 * rather than the batch, so their hold is the body's prompt bound alone, unclamped.
 */
export function prepareAttempts(
  candidates: Candidate[],
  protocolOf: (candidate: Candidate) => WireProtocol,
  buildBody: (candidate: Candidate, protocol: WireProtocol) => Json,
  kind: ModelKind = "chat",
): PreparedAttempt[] {
  return candidates.map((candidate) => {
    const protocol = protocolOf(candidate);
    if (kind === "embedding") {
      const body = buildBody(candidate, protocol);
      return { candidate, body, promptBound: promptTokenBound(body), outputCap: 0 };
    }
    const { body, outputCap } = withOutputCap(buildBody(candidate, protocol), protocol, candidate);
    return { candidate, body, promptBound: clampToContext(promptTokenBound(body), candidate), outputCap };
  });
}

/** The hold: the most any prepared attempt can cost. 402 when it would not fit the ledger. */
export function holdFor(prepared: PreparedAttempt[]): bigint {
  let max = 0n;
  for (const { candidate, promptBound, outputCap } of prepared) {
    const cost = maxCostBound(candidate.endpoint.pricings, promptBound, outputCap);
    if (cost > max) max = cost;
  }
  if (max > MAX_HOLD_NANO_USD) throw new GatewayError(402, "reject_no_credit", "This request may cost more than any balance can hold: lower max_tokens.");
  return max;
}
