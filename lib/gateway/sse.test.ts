import { describe, expect, it } from "vitest";
import { encodeSse, readSseEvents } from "./sse";

async function collect(parts: string[]) {
  const encoder = new TextEncoder();
  async function* body() {
    for (const part of parts) yield encoder.encode(part);
  }
  const events = [];
  for await (const event of readSseEvents(body())) events.push(event);
  return events;
}

describe("SSE parsing", () => {
  it("reassembles events split anywhere across network chunks", async () => {
    const stream = 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < stream.length; cut++) {
      expect(await collect([stream.slice(0, cut), stream.slice(cut)])).toEqual([
        { event: undefined, data: '{"a":1}' },
        { event: undefined, data: '{"b":2}' },
        { event: undefined, data: "[DONE]" },
      ]);
    }
  });

  it("splits a multi-byte character across chunks without corrupting it", async () => {
    const bytes = new TextEncoder().encode('data: {"t":"héllo 🚂"}\n\n');
    async function* body() {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.slice(i, i + 3);
    }
    const events = [];
    for await (const event of readSseEvents(body())) events.push(event);
    expect(JSON.parse(events[0].data).t).toBe("héllo 🚂");
  });

  it("keeps event names, ignores comments, handles CRLF and a missing final blank line", async () => {
    const events = await collect([': keep-alive\r\n\r\nevent: message_start\r\ndata: {"x":1}\r\n\r\n', "event: ping\ndata: {}"]);
    expect(events).toEqual([
      { event: "message_start", data: '{"x":1}' },
      { event: "ping", data: "{}" },
    ]);
  });

  it("encodes data with and without an event name", () => {
    expect(encodeSse({ data: "[DONE]" })).toBe("data: [DONE]\n\n");
    expect(encodeSse({ event: "ping", data: '{"type":"ping"}' })).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });
});
