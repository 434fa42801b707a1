/**
 * Per-chunk work while relaying an OpenAI-style stream: the served model's slug in
 * `model`, the usage captured (and its extra chunk dropped when the client did not
 * ask for usage), and what was produced tallied for metering and TTFT.
 */
export type OpenAiUsage = {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
};

export type StreamTally = {
  usage: OpenAiUsage | null;
  finishReason: string | null;
  /** when the first content (text, reasoning or tool call) was relayed */
  firstContentAt: number | null;
  /** characters of produced content, for an estimate when the upstream sends no usage */
  producedChars: number;
  sawDone: boolean;
};

export const newTally = (): StreamTally => ({ usage: null, finishReason: null, firstContentAt: null, producedChars: 0, sawDone: false });

type Delta = { content?: string | null; reasoning_content?: string | null; reasoning?: string | null; tool_calls?: { function?: { name?: string; arguments?: string } }[] };
type Chunk = { model?: string; usage?: OpenAiUsage | null; choices?: { delta?: Delta; finish_reason?: string | null }[] };

/** The chunk to send on (serialised), or null to drop it. */
export function relayChunk(data: string, options: { servedModel: string; includeUsage: boolean; now: number }, tally: StreamTally): string | null {
  if (data === "[DONE]") {
    tally.sawDone = true;
    return data;
  }
  let chunk: Chunk;
  try {
    chunk = JSON.parse(data) as Chunk;
  } catch {
    return data;
  }
  if (chunk.usage) tally.usage = chunk.usage;
  const choices = chunk.choices ?? [];
  if (choices.length === 0 && chunk.usage && !options.includeUsage) return null;
  if (!options.includeUsage) delete chunk.usage;
  if (chunk.model !== undefined) chunk.model = options.servedModel;
  for (const choice of choices) {
    const delta = choice.delta ?? {};
    const produced =
      (delta.content?.length ?? 0) +
      (delta.reasoning_content?.length ?? 0) +
      (delta.reasoning?.length ?? 0) +
      (delta.tool_calls ?? []).reduce((n, call) => n + (call.function?.arguments?.length ?? 0) + (call.function?.name?.length ?? 0), 0);
    if (produced > 0) {
      tally.producedChars += produced;
      tally.firstContentAt ??= options.now;
    }
    if (choice.finish_reason) tally.finishReason = choice.finish_reason;
  }
  return JSON.stringify(chunk);
}
