/**
 * What an upstream produced, read from its own protocol as it streams (or from its
 * JSON body): usage, finish reason, when content started, how much was produced, and
 * whether the stream ended properly. Metering and health read this, whatever protocol
 * the client speaks.
 */
import { usageFromAnthropic, usageFromGemini, usageFromOpenAi, usageFromResponses, type MeteredUsage } from "../metering/pricing.ts";
import type { WireProtocol } from "../providers/types.ts";
import { eventJson, type SseEvent } from "../sse.ts";

export type UpstreamTally = {
  usage: MeteredUsage | null;
  /**
   * the upstream's closing usage arrived (Anthropic's message_delta, OpenAI's usage on the
   * last chunk); until then `usage` is at most provisional (message_start says output 1)
   */
  usageFinal: boolean;
  finishReason: string | null;
  firstContentAt: number | null;
  producedChars: number;
  /** the upstream's own end marker arrived ([DONE] / message_stop) */
  complete: boolean;
  /** the upstream sent an error event */
  failed: boolean;
};

export const newUpstreamTally = (): UpstreamTally => ({
  usage: null,
  usageFinal: false,
  finishReason: null,
  firstContentAt: null,
  producedChars: 0,
  complete: false,
  failed: false,
});

function parse(event: SseEvent): Record<string, unknown> | null {
  const value = eventJson(event);
  return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
}

function produced(tally: UpstreamTally, chars: number, now: number) {
  if (chars <= 0) return;
  tally.producedChars += chars;
  tally.firstContentAt ??= now;
}

type OpenAiDelta = {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: { function?: { name?: string; arguments?: string } }[];
};

function observeOpenAi(event: SseEvent, tally: UpstreamTally, now: number) {
  if (event.data === "[DONE]") {
    tally.complete = true;
    return;
  }
  const chunk = parse(event);
  if (!chunk) return;
  if (chunk.error) tally.failed = true;
  const choices = (chunk.choices as { delta?: OpenAiDelta; finish_reason?: string | null }[] | undefined) ?? [];
  if (chunk.usage) {
    tally.usage = usageFromOpenAi(chunk.usage as Parameters<typeof usageFromOpenAi>[0]);
    // Some OpenAI-compatible servers report running usage on every chunk: only the usage
    // chunk (no choices) or the finishing chunk carries the closing numbers.
    tally.usageFinal = choices.length === 0 || choices.some((c) => c.finish_reason);
  }
  for (const choice of choices) {
    const d = choice.delta ?? {};
    const calls = (d.tool_calls ?? []).reduce((n, c) => n + (c.function?.arguments?.length ?? 0) + (c.function?.name?.length ?? 0), 0);
    produced(tally, (d.content?.length ?? 0) + (d.reasoning_content?.length ?? 0) + (d.reasoning?.length ?? 0) + calls, now);
    if (choice.finish_reason) tally.finishReason = choice.finish_reason;
  }
}

type AnthropicUsage = Parameters<typeof usageFromAnthropic>[0];

function observeAnthropic(event: SseEvent, tally: UpstreamTally, now: number) {
  const data = parse(event);
  const type = event.event ?? (data?.type as string | undefined);
  if (!data) return;
  if (type === "error") tally.failed = true;
  else if (type === "message_start") {
    tally.usage = usageFromAnthropic(((data.message as { usage?: AnthropicUsage } | undefined)?.usage ?? {}) as AnthropicUsage);
  } else if (type === "content_block_start") {
    const block = data.content_block as { type?: string; name?: string; text?: string } | undefined;
    produced(tally, (block?.name?.length ?? 0) + (block?.text?.length ?? 0), now);
  } else if (type === "content_block_delta") {
    const delta = data.delta as { text?: string; thinking?: string; partial_json?: string } | undefined;
    produced(tally, (delta?.text?.length ?? 0) + (delta?.thinking?.length ?? 0) + (delta?.partial_json?.length ?? 0), now);
  } else if (type === "message_delta") {
    const stop = (data.delta as { stop_reason?: string } | undefined)?.stop_reason;
    if (stop) tally.finishReason = stop;
    const usage = data.usage as AnthropicUsage | undefined;
    if (usage) {
      const start = tally.usage;
      const final = usageFromAnthropic({ ...usage, input_tokens: usage.input_tokens ?? start?.inputTokens });
      // message_delta repeats input numbers only sometimes; keep message_start's when absent.
      tally.usage = start && usage.input_tokens === undefined ? { ...start, outputTokens: final.outputTokens } : final;
      tally.usageFinal = true;
    }
  } else if (type === "message_stop") tally.complete = true;
}

type ResponsesUsage = Parameters<typeof usageFromResponses>[0];
type ResponseBody = { status?: string; usage?: ResponsesUsage | null; incomplete_details?: { reason?: string } | null; output?: unknown };

/** The finish a Response reports: its status, or why it is incomplete. */
function responseFinish(response: ResponseBody): string | null {
  if (response.status === "incomplete") return response.incomplete_details?.reason ?? "incomplete";
  return response.status ?? null;
}

const RESPONSES_DELTAS = new Set([
  "response.output_text.delta",
  "response.function_call_arguments.delta",
  "response.reasoning_summary_text.delta",
  "response.reasoning_text.delta",
  "response.refusal.delta",
  "response.custom_tool_call_input.delta",
]);
const RESPONSES_ENDS = new Set(["response.completed", "response.incomplete", "response.failed"]);

function observeResponses(event: SseEvent, tally: UpstreamTally, now: number) {
  const data = parse(event);
  if (!data) return;
  const type = (data.type as string | undefined) ?? event.event;
  if (type === undefined) return;
  if (RESPONSES_DELTAS.has(type)) {
    produced(tally, typeof data.delta === "string" ? data.delta.length : 0, now);
    return;
  }
  if (type === "error" || type === "response.failed") tally.failed = true;
  if (!RESPONSES_ENDS.has(type)) return;
  const response = (data.response ?? {}) as ResponseBody;
  if (response.usage) {
    tally.usage = usageFromResponses(response.usage);
    tally.usageFinal = true;
  }
  tally.finishReason = responseFinish(response);
  if (type !== "response.failed") tally.complete = true;
}

type GeminiChunk = {
  candidates?: { content?: { parts?: GeminiPart[] }; finishReason?: string }[];
  usageMetadata?: Parameters<typeof usageFromGemini>[0];
  promptFeedback?: { blockReason?: string };
};
type GeminiPart = { text?: string; functionCall?: { name?: string; args?: unknown } };

const geminiPartChars = (parts: GeminiPart[] | undefined): number =>
  (parts ?? []).reduce(
    (n, part) =>
      n + (part.text?.length ?? 0) + (part.functionCall ? (part.functionCall.name?.length ?? 0) + JSON.stringify(part.functionCall.args ?? {}).length : 0),
    0,
  );

/** Gemini's finish, or the reason it refused the prompt outright. */
const geminiFinish = (chunk: GeminiChunk): string | null => chunk.candidates?.[0]?.finishReason ?? chunk.promptFeedback?.blockReason ?? null;

/**
 * Gemini has no end marker: the chunk with a finishReason closes the answer, and its
 * usageMetadata holds the totals (earlier chunks carry only the prompt's count).
 */
function observeGemini(event: SseEvent, tally: UpstreamTally, now: number) {
  const chunk = parse(event) as (GeminiChunk & { error?: unknown }) | null;
  if (!chunk) return;
  if (chunk.error) {
    tally.failed = true;
    return;
  }
  produced(tally, geminiPartChars(chunk.candidates?.[0]?.content?.parts), now);
  const finish = geminiFinish(chunk);
  if (chunk.usageMetadata) {
    tally.usage = usageFromGemini(chunk.usageMetadata);
    tally.usageFinal ||= finish !== null || tally.complete;
  }
  if (finish !== null) {
    tally.finishReason = finish;
    tally.complete = true;
  }
}

export function observeUpstreamEvent(protocol: WireProtocol, event: SseEvent, tally: UpstreamTally, now: number): void {
  if (protocol === "openai-chat") observeOpenAi(event, tally, now);
  else if (protocol === "openai-responses") observeResponses(event, tally, now);
  else if (protocol === "google-gemini") observeGemini(event, tally, now);
  else observeAnthropic(event, tally, now);
}

/** The same facts from a non-streamed answer. */
export function tallyFromJson(protocol: WireProtocol, body: Record<string, unknown>, now: number): UpstreamTally {
  const tally = newUpstreamTally();
  tally.complete = true;
  // A whole answer's usage is final; one without usage is metered from its content.
  tally.usageFinal = Boolean(body.usage ?? body.usageMetadata);
  tally.firstContentAt = now;
  if (protocol === "openai-responses") {
    const response = body as ResponseBody;
    if (response.usage) tally.usage = usageFromResponses(response.usage);
    tally.finishReason = responseFinish(response);
    tally.producedChars = JSON.stringify(response.output ?? "").length;
  } else if (protocol === "google-gemini") {
    const answer = body as GeminiChunk;
    if (answer.usageMetadata) tally.usage = usageFromGemini(answer.usageMetadata);
    tally.finishReason = geminiFinish(answer);
    tally.producedChars = geminiPartChars(answer.candidates?.[0]?.content?.parts);
  } else if (protocol === "openai-chat") {
    if (body.usage) tally.usage = usageFromOpenAi(body.usage as Parameters<typeof usageFromOpenAi>[0]);
    const choice = (body.choices as { finish_reason?: string; message?: unknown }[] | undefined)?.[0];
    tally.finishReason = choice?.finish_reason ?? null;
    // No choice (an embeddings answer): nothing was generated to estimate output from.
    tally.producedChars = choice?.message === undefined ? 0 : JSON.stringify(choice.message).length;
  } else {
    if (body.usage) tally.usage = usageFromAnthropic(body.usage as AnthropicUsage);
    tally.finishReason = (body.stop_reason as string | undefined) ?? null;
    tally.producedChars = JSON.stringify(body.content ?? "").length;
  }
  return tally;
}
