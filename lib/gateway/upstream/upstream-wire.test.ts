import { describe, expect, it } from "vitest";
import type { ProviderAdapter } from "../providers/types";
import type { SseEvent } from "../sse";
import { upstreamEvents, upstreamJson } from "./upstream-wire";

const encoder = new TextEncoder();
async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield encoder.encode(part);
}
async function collect(events: AsyncGenerator<SseEvent>): Promise<string[]> {
  const data: string[] = [];
  for await (const event of events) data.push(event.data);
  return data;
}

describe("reading an upstream's wire", () => {
  it("reads server-sent events when the adapter says nothing, events split across chunks included", async () => {
    expect(await collect(upstreamEvents({}, chunks('data: {"a":1}\n\nda', 'ta: {"b":2}\n\n')))).toEqual(['{"a":1}', '{"b":2}']);
    expect(upstreamJson({}, '{"id":"x"}')).toEqual({ id: "x" });
    expect(() => upstreamJson({}, "<html>")).toThrow();
  });

  it("lets an adapter with another framing (JSON lines here) turn its bytes into the protocol's events", async () => {
    const jsonLines: Pick<ProviderAdapter, "readStream" | "readJson"> = {
      async *readStream(body) {
        let buffered = "";
        const decoder = new TextDecoder();
        for await (const chunk of body) {
          buffered += decoder.decode(chunk, { stream: true });
          let newline: number;
          while ((newline = buffered.indexOf("\n")) >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            if (line) yield { data: line };
          }
        }
      },
      readJson: (text) => ({ wrapped: JSON.parse(text) }),
    };
    expect(await collect(upstreamEvents(jsonLines, chunks('{"a":1}\n{"b"', ":2}\n")))).toEqual(['{"a":1}', '{"b":2}']);
    expect(upstreamJson(jsonLines, "[1]")).toEqual({ wrapped: [1] });
  });
});
