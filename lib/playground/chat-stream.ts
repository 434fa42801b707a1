/**
 * Reads the gateway's Chat Completions stream as the playground shows it: text deltas, the
 * final usage chunk (tokens and the call's cost) and an error event sent after the first
 * byte. Pure over chunks of text, so it is tested without a server.
 */
import { createParser } from "eventsource-parser";

/** `cost` is the call's USD cost as a decimal string (nano-USD precision), as the console shows money. */
export type ChatUsage = { promptTokens: number; completionTokens: number; cost: string | null };

/** The API's `usage.cost` (a JSON number of nano-USD precision) as a plain decimal string, never "1e-7". */
export function usdDecimal(cost: number): string {
  const fixed = cost.toFixed(9);
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

export type ChatStreamEvent =
  { kind: "text"; text: string } | { kind: "usage"; usage: ChatUsage } | { kind: "finish"; reason: string } | { kind: "error"; message: string };

type ChatChunk = {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; cost?: number } | null;
  error?: { message?: string; type?: string };
};

function eventsOfChunk(chunk: ChatChunk): ChatStreamEvent[] {
  if (chunk.error) return [{ kind: "error", message: chunk.error.message ?? chunk.error.type ?? "The stream ended with an error" }];
  const events: ChatStreamEvent[] = [];
  for (const choice of chunk.choices ?? []) {
    if (choice.delta?.content) events.push({ kind: "text", text: choice.delta.content });
    if (choice.finish_reason) events.push({ kind: "finish", reason: choice.finish_reason });
  }
  if (chunk.usage) {
    events.push({
      kind: "usage",
      usage: {
        promptTokens: chunk.usage.prompt_tokens ?? 0,
        completionTokens: chunk.usage.completion_tokens ?? 0,
        cost: typeof chunk.usage.cost === "number" ? usdDecimal(chunk.usage.cost) : null,
      },
    });
  }
  return events;
}

/** A reader fed raw text as it arrives; `onEvent` gets each event in order. */
export function createChatStreamReader(onEvent: (event: ChatStreamEvent) => void) {
  const parser = createParser({
    onEvent(message) {
      if (message.data === "[DONE]") return;
      let chunk: ChatChunk;
      try {
        chunk = JSON.parse(message.data) as ChatChunk;
      } catch {
        return;
      }
      eventsOfChunk(chunk).forEach(onEvent);
    },
  });
  return { feed: (text: string) => parser.feed(text) };
}

/** A refused call as the conversation shows it: what happened and, where there is one, what to do. */
export function describeGatewayError(status: number, message: string | undefined): string {
  const detail = message?.trim() || `The gateway answered ${status}`;
  if (status === 402) return `Insufficient balance (402): ${detail}. Add credit on the Billing page.`;
  if (status === 429) return `Rate limited (429): ${detail}. Wait a moment and send again.`;
  if (status === 401) return `Your session's playground key was refused (401): ${detail}. Reload the page.`;
  if (status === 403) return `Refused (403): ${detail}`;
  if (status === 404) return `Unknown model (404): ${detail}`;
  if (status === 502 || status === 503 || status === 504) return `No provider could answer (${status}): ${detail}`;
  return `Error ${status}: ${detail}`;
}
