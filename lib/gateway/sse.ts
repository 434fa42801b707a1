/**
 * Server-sent events in and out. Parsing uses eventsource-parser (handles events split
 * across network chunks, CRLF, comments); encoding writes the `data:` (and `event:`)
 * lines the OpenAI and Anthropic clients expect.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";

export type SseEvent = { event?: string; data: string };

/** Events from a byte stream, as they complete. */
export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const pending: SseEvent[] = [];
  const parser = createParser({ onEvent: (message: EventSourceMessage) => pending.push({ event: message.event, data: message.data }) });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (pending.length > 0) yield pending.shift()!;
  }
  parser.feed(decoder.decode());
  // A final event without its blank line still counts (some upstreams end that way).
  parser.feed("\n\n");
  while (pending.length > 0) yield pending.shift()!;
}

export function encodeSse(event: SseEvent): string {
  return `${event.event ? `event: ${event.event}\n` : ""}data: ${event.data}\n\n`;
}

export const SSE_KEEP_ALIVE = ": keep-alive\n\n";
