import { describe, expect, it } from "vitest";
import { newTally, relayChunk } from "./stream-relay";

const chunk = (delta: object, extra: object = {}) => JSON.stringify({ id: "c", object: "chat.completion.chunk", model: "upstream-id", choices: [{ index: 0, delta, finish_reason: null }], usage: null, ...extra });
const usageChunk = JSON.stringify({ id: "c", object: "chat.completion.chunk", model: "upstream-id", choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });

describe("OpenAI stream relay", () => {
  it("puts the served model's slug in every chunk and tallies content", () => {
    const tally = newTally();
    const out = JSON.parse(relayChunk(chunk({ content: "Hello" }), { servedModel: "acme/chat-1", includeUsage: true, now: 42 }, tally)!);
    expect(out.model).toBe("acme/chat-1");
    expect(tally).toMatchObject({ firstContentAt: 42, producedChars: 5 });
  });

  it("captures usage and drops the usage chunk and usage fields when the client did not ask", () => {
    const tally = newTally();
    const first = JSON.parse(relayChunk(chunk({ role: "assistant", content: "" }), { servedModel: "m", includeUsage: false, now: 1 }, tally)!);
    expect("usage" in first).toBe(false);
    expect(tally.firstContentAt).toBeNull();
    expect(relayChunk(usageChunk, { servedModel: "m", includeUsage: false, now: 2 }, tally)).toBeNull();
    expect(tally.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 2 });
  });

  it("keeps the usage chunk when the client asked for it", () => {
    const tally = newTally();
    expect(JSON.parse(relayChunk(usageChunk, { servedModel: "m", includeUsage: true, now: 2 }, tally)!).usage.total_tokens).toBe(7);
  });

  it("counts tool-call fragments as produced output and records the finish reason and [DONE]", () => {
    const tally = newTally();
    relayChunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }), { servedModel: "m", includeUsage: false, now: 3 }, tally);
    relayChunk(JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] }), { servedModel: "m", includeUsage: false, now: 4 }, tally);
    expect(relayChunk("[DONE]", { servedModel: "m", includeUsage: false, now: 5 }, tally)).toBe("[DONE]");
    expect(tally).toMatchObject({ producedChars: 5, firstContentAt: 3, finishReason: "tool_calls", sawDone: true });
  });
});
