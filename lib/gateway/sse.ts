/**
 * Server-sent events in and out. Parsing uses eventsource-parser (handles events split
 * across network chunks, CRLF, comments); encoding writes the `data:` (and `event:`)
 * lines the OpenAI and Anthropic clients expect.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";

/** `parsedFrom`/`parsed`: eventJson's cache (the parse of that very data string). */
export type SseEvent = { event?: string; data: string; parsedFrom?: string; parsed?: unknown };

/**
 * The event's data parsed as JSON (undefined when it is not JSON), parsed once per event
 * however many readers ask (the attempt loop, the tally, the relay's translator). Callers
 * must not change the value. The cache remembers which data it parsed, so a copy with
 * other data (`{ ...event, data }`) is parsed anew. (A WeakMap cache cost more than a
 * second parse: bench/core-profile.ts.)
 */
export function eventJson(event: SseEvent): unknown {
  if (event.parsedFrom === event.data) return event.parsed;
  let value: unknown;
  try {
    value = JSON.parse(event.data);
  } catch {
    value = undefined;
  }
  event.parsedFrom = event.data;
  event.parsed = value;
  return value;
}

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
