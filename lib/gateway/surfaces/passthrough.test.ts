import { describe, expect, it } from "vitest";
import { eventJson } from "../sse.ts";
import { createChatPassthrough, createMessagesPassthrough } from "./passthrough.ts";

const chunk = (extra: Record<string, unknown>) => ({
  data: JSON.stringify({
    id: "c1",
    object: "chat.completion.chunk",
    model: "up-model",
    choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }],
    ...extra,
  }),
});

describe("chat passthrough", () => {
  it("relays a chunk with only the served model changed", () => {
    const relay = createChatPassthrough({ servedModel: "org/served", includeUsage: true });
    const event = { data: '{"id":"c1", "model":"up-model","choices":[{"delta":{"content":"a \\"model\\":"}}]}' };
    const [out] = relay.push(event);
    expect(JSON.parse(out.data)).toEqual({ id: "c1", model: "org/served", choices: [{ delta: { content: 'a "model":' } }] });
    // the shared parse is not changed for the tally
    expect((eventJson(event) as { model: string }).model).toBe("up-model");
  });

  it("passes a chunk that needs no change as the same event", () => {
    const relay = createChatPassthrough({ servedModel: "up-model", includeUsage: true });
    const event = chunk({ usage: null });
    expect(relay.push(event)).toEqual([event]);
  });

  it("drops usage the client did not ask for: the member on every chunk, the usage chunk itself", () => {
    const relay = createChatPassthrough({ servedModel: "org/served", includeUsage: false });
    const [out] = relay.push(chunk({ usage: null }));
    expect(JSON.parse(out.data)).toEqual({
      id: "c1",
      object: "chat.completion.chunk",
      model: "org/served",
      choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }],
    });
    expect(relay.push({ data: JSON.stringify({ id: "c1", model: "up-model", choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } }) })).toEqual([]);
  });

  it("ends with [DONE] after a finish, with an error event after an early end", () => {
    const finished = createChatPassthrough({ servedModel: "m", includeUsage: false });
    finished.push({ data: JSON.stringify({ model: "m", choices: [{ delta: {}, finish_reason: "stop" }] }) });
    expect(finished.finish()).toEqual([{ data: "[DONE]" }]);
    const cut = createChatPassthrough({ servedModel: "m", includeUsage: false });
    cut.push(chunk({}));
    expect(cut.finish()[0].data).toContain("error");
  });
});

describe("messages passthrough", () => {
  it("rewrites the model in message_start only and relays the rest as they are", () => {
    const relay = createMessagesPassthrough({ servedModel: "org/served" });
    const start = { event: "message_start", data: JSON.stringify({ type: "message_start", message: { id: "m1", model: "up", usage: { input_tokens: 3 } } }) };
    expect(JSON.parse(relay.push(start)[0].data).message).toEqual({ id: "m1", model: "org/served", usage: { input_tokens: 3 } });
    const delta = { event: "content_block_delta", data: '{"type":"content_block_delta","delta":{"text":"x"}}' };
    expect(relay.push(delta)).toEqual([delta]);
    relay.push({ event: "message_stop", data: '{"type":"message_stop"}' });
    expect(relay.finish()).toEqual([]);
  });
});
