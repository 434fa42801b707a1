/**
 * A client-facing protocol ("surface"): how its requests are parsed, how a request is
 * written for an upstream of either protocol, and how answers and streams come back
 * in the client's own protocol (translated when the upstream speaks the other one).
 * The generation pipeline is the same for every surface.
 */
import type { CostBreakdown } from "../metering/pricing.ts";
import type { ModelView } from "../catalog-view/catalog-types.ts";
import type { ModelKind } from "../catalog-view/model-kind.ts";
import type { Candidate } from "../routing/candidate.ts";
import type { GatewayError } from "../errors.ts";
import type { Answer, HeaderLookup } from "../exchange.ts";
import type { RoutingRequest } from "../routing/route-plan.ts";
import type { RequestNeeds } from "../routing/request-needs.ts";
import type { StoredConversation } from "../ports/gateway-deps.ts";
import type { BuildRequestInput, WireProtocol } from "../providers/types.ts";
import type { SseEvent } from "../sse.ts";

export type ParsedRequest = {
  model: string;
  stream: boolean;
  /** the client asked for usage in the stream (OpenAI's stream_options.include_usage) */
  includeUsage: boolean;
  routing: RoutingRequest;
  needs: RequestNeeds;
  body: Record<string, unknown>;
};

/** Turns upstream events into client events; finish() closes (or reports an early end). */
export interface EventTranslator {
  push(event: SseEvent): SseEvent[];
  finish(): SseEvent[];
  /**
   * The stream broke off after the first byte: the events that tell the client, when the
   * protocol numbers its events (Responses' sequence_number) and so only the translator
   * can write them; otherwise the surface's streamErrorEvent is sent.
   */
  fail?(error: GatewayError): SseEvent[];
}

/** What a surface keeps of a served answer: the conversation and the response object (without its output). */
export type AnswerToKeep = { inputItems: Record<string, unknown>[]; outputItems: Record<string, unknown>[]; response: Record<string, unknown> };

/**
 * Answers kept for later calls (OpenAI Responses' `store` and `previous_response_id`);
 * the core stores and loads them through the ResponseStore port (answer-memory.ts).
 */
export interface SurfaceMemory {
  /** The stored answer a request body continues, read before parse(), which is given its conversation. */
  continuesFrom(body: unknown): string | null;
  /** The error for a continued id this account has no stored answer under, in the protocol's words. */
  notFound(id: string): GatewayError;
  /** What to keep of this served answer (its final response object), or null when the client asked not to keep it. */
  toKeep(parsed: ParsedRequest, response: Record<string, unknown>): AnswerToKeep | null;
  /** The final response object a client stream event carries (the answer's last word), or null. */
  finalResponse(event: SseEvent): Record<string, unknown> | null;
}

/** What an answer is written for: the served model, the generation id, and the client's parsed request (Responses echoes it). */
export type ServedAs = {
  servedModel: string;
  id: string;
  created: number;
  includeUsage: boolean;
  estimatedInputTokens: number;
  request: Record<string, unknown>;
};

export interface ClientSurface {
  readonly api: "chat" | "messages" | "responses" | "embeddings" | "generate_content";
  readonly protocol: WireProtocol;
  /**
   * The kind of model this surface serves (absent: chat). A model of another kind is
   * refused with 400 before anything is held; an embedding surface's calls go to the
   * adapter's embeddings endpoint, hold for input only and are never streamed.
   */
  readonly modelKind?: ModelKind;
  /** the upstream protocols this surface can translate to and from (candidates speaking others are skipped) */
  readonly upstreams: readonly WireProtocol[];
  /**
   * The request from its JSON body and, where the protocol puts the model or the streaming
   * choice there (Gemini), its path; `previous`: the stored conversation memory.continuesFrom
   * named, when the surface keeps answers.
   */
  parse(body: unknown, request: { path: string }, previous?: StoredConversation | null): ParsedRequest;
  readonly memory?: SurfaceMemory;
  clientHeaders(request: { headers: HeaderLookup }): BuildRequestInput["clientHeaders"];
  upstreamBody(parsed: ParsedRequest, candidate: Candidate, upstream: WireProtocol): Record<string, unknown>;
  jsonBody(upstream: WireProtocol, body: Record<string, unknown>, served: ServedAs): Record<string, unknown>;
  streamTranslator(upstream: WireProtocol, served: ServedAs): EventTranslator;
  /** Puts the call's cost where this protocol's clients find it (OpenAI: usage.cost; Anthropic: a header). */
  withCost(payload: Record<string, unknown>, cost: CostBreakdown): { payload: Record<string, unknown>; headers: Record<string, string> };
  /** The same for a stream's usage event, when this protocol has one (OpenAI's final usage chunk). */
  withStreamCost(event: SseEvent, cost: () => CostBreakdown): SseEvent;
  /** The error in this protocol's shape, as the exchange's answer. */
  errorResponse(error: GatewayError, headers: Record<string, string>): Answer;
  streamErrorEvent(error: GatewayError): string;
}

/** The max_tokens an Anthropic upstream needs when an OpenAI client sent none. */
export function defaultMaxTokens(model: ModelView, candidate: Candidate): number {
  return candidate.endpoint.maxOutput ?? model.maxOutput ?? 4096;
}

/** USD per fee item, for OpenAI's `usage.cost_details` (numbers, as OpenRouter sends them). */
export function costDetails(cost: CostBreakdown): Record<string, number> {
  const details: Record<string, number> = {};
  for (const line of cost.lines) details[line.feeItem] = (details[line.feeItem] ?? 0) + Number(line.costNanoUsd) / 1e9;
  return details;
}
