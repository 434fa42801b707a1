/**
 * The pieces of an OpenAI Responses answer that the JSON and the streamed translations
 * share: the response object echoing the request, output items, usage, and the status
 * a Chat Completions finish_reason stands for. Pure.
 * Facts: reference/zenmux-docs/api/openai/openai-responses.md, and the `openai` SDK's
 * ResponseStream accumulator (node_modules/openai/src/lib/responses/).
 */
type Json = Record<string, unknown>;

export const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/** What the client's request says about the response it gets back (echoed in every response object). */
export type ResponseShape = { id: string; model: string; createdAt: number; request: Json };

export function responseObject(shape: ResponseShape, status: string, output: Json[], extra: Json = {}): Json {
  const request = shape.request;
  const text = isRecord(request.text) ? request.text : {};
  const reasoning = isRecord(request.reasoning) ? request.reasoning : {};
  return {
    id: shape.id,
    object: "response",
    created_at: shape.createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    max_tool_calls: null,
    model: shape.model,
    output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: typeof request.previous_response_id === "string" ? request.previous_response_id : null,
    reasoning: { effort: reasoning.effort ?? null, summary: reasoning.summary ?? null },
    service_tier: "default",
    // Kept by the gateway unless the client said store: false (README, "Responses").
    store: request.store !== false,
    temperature: request.temperature ?? 1,
    text: { format: text.format ?? { type: "text" }, verbosity: text.verbosity ?? "medium" },
    tool_choice: request.tool_choice ?? "auto",
    tools: Array.isArray(request.tools) ? request.tools : [],
    top_p: request.top_p ?? 1,
    truncation: "disabled",
    usage: null,
    user: null,
    metadata: isRecord(request.metadata) ? request.metadata : {},
    ...extra,
  };
}

export const outputText = (text: string): Json => ({ type: "output_text", annotations: [], logprobs: [], text });

export function messageItem(id: string, text: string, status = "completed"): Json {
  return { id, type: "message", status, content: [outputText(text)], role: "assistant" };
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status = "completed"): Json {
  return { id, type: "function_call", status, arguments: args, call_id: callId, name };
}

/** Reasoning text (Anthropic thinking, a Chat upstream's reasoning_content) is the item's summary. */
export function reasoningItem(id: string, summary: string | null): Json {
  return { id, type: "reasoning", summary: summary === null ? [] : [{ type: "summary_text", text: summary }] };
}

/** Chat Completions usage (prompt INCLUDES cached tokens, completion INCLUDES reasoning) → Responses usage (the same inclusions). */
export function usageToResponses(usage: unknown): Json {
  const u = isRecord(usage) ? usage : {};
  const input = count(u.prompt_tokens);
  const output = count(u.completion_tokens);
  const cached = count(isRecord(u.prompt_tokens_details) ? u.prompt_tokens_details.cached_tokens : 0);
  const reasoning = count(isRecord(u.completion_tokens_details) ? u.completion_tokens_details.reasoning_tokens : 0);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: count(u.total_tokens) || input + output,
  };
}

/** finish_reason → the response's status and incomplete_details (ZenMux's table; content_filter as OpenAI reports it). */
export function statusForFinish(finish: string | null | undefined): { status: "completed" | "incomplete"; incomplete: Json | null } {
  if (finish === "length") return { status: "incomplete", incomplete: { reason: "max_output_tokens" } };
  if (finish === "content_filter") return { status: "incomplete", incomplete: { reason: "content_filter" } };
  return { status: "completed", incomplete: null };
}
