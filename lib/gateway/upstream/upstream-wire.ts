/**
 * How an upstream's answer is read off the wire: the adapter decides (ProviderAdapter
 * `readStream`, `readJson`), server-sent events and JSON by default. The attempt loop
 * reads every answer through here, so a provider with another framing is one adapter.
 */
import type { ProviderAdapter } from "../providers/types.ts";
import { readSseEvents, type SseEvent } from "../sse.ts";

export function upstreamEvents(adapter: Pick<ProviderAdapter, "readStream">, body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  return adapter.readStream ? adapter.readStream(body) : readSseEvents(body);
}

/** The JSON answer's body; throws when it is not one (the attempt loop calls that a provider error). */
export function upstreamJson(adapter: Pick<ProviderAdapter, "readJson">, text: string): Record<string, unknown> {
  return adapter.readJson ? adapter.readJson(text) : (JSON.parse(text) as Record<string, unknown>);
}
