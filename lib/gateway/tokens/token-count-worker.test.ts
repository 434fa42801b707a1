import { afterEach, describe, expect, it, vi } from "vitest";
import { countMessagesTokens } from "./count-tokens";
import { createTokenCountWorker, type TokenCountWorker } from "./token-count-worker";
import { tokenizableParts } from "./tokenizable-parts";

/** ~300 KB of mixed blocks: text, a tool round trip, an image, a system prompt and tools. */
const largeRequest = {
  system: [{ type: "text", text: "You are a careful coding agent. ".repeat(2000) }],
  tools: [{ name: "read_file", description: "Reads a file", input_schema: { type: "object", properties: { path: { type: "string" } } } }],
  messages: [
    { role: "user", content: "Refactor this module, please. ".repeat(4000) },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Let me read it first." },
        { type: "tool_use", id: "t1", name: "read_file", input: { path: "lib/a.ts" } },
      ],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "export const a = 1;\n".repeat(5000) }] },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
      ],
    },
  ],
};

let worker: TokenCountWorker | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await worker?.close();
  worker = undefined;
});

describe("count_tokens worker", () => {
  it("counts a large prompt on the worker, equal to the inline count, while the event loop keeps turning", async () => {
    worker = createTokenCountWorker();
    let turns = 0;
    let counting = true;
    const spin = () => {
      if (!counting) return;
      turns += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    const tokens = await worker.count(tokenizableParts(largeRequest));
    counting = false;
    expect(tokens).toBe(countMessagesTokens(largeRequest));
    expect(worker.stats()).toEqual({ offThread: 1, inline: 0, workerStarts: 1 });
    // Inline, the count would have returned before any setImmediate callback ran.
    expect(turns).toBeGreaterThan(0);
  }, 60_000);

  it("serves many counts from one worker and answers each with its own count", async () => {
    worker = createTokenCountWorker();
    const requests = Array.from({ length: 8 }, (_, i) => ({ messages: [{ content: `request ${i} `.repeat(i * 100 + 1) }] }));
    const counts = await Promise.all(requests.map((request) => worker!.count(tokenizableParts(request))));
    expect(counts).toEqual(requests.map((request) => countMessagesTokens(request)));
    expect(worker.stats()).toMatchObject({ offThread: 8, workerStarts: 1 });
  }, 60_000);

  it("counts below the inline threshold on the calling thread", async () => {
    worker = createTokenCountWorker({ inlineMaxLength: 1000 });
    const small = { messages: [{ content: "Hello there" }] };
    expect(await worker.count(tokenizableParts(small))).toBe(countMessagesTokens(small));
    expect(worker.stats()).toEqual({ offThread: 0, inline: 1, workerStarts: 0 });
  });

  it("exits after idleMs without a count and starts again with the next one", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    worker = createTokenCountWorker({ idleMs: 60_000 });
    const request = { messages: [{ content: "Hello there" }] };
    await worker.count(tokenizableParts(request));
    vi.advanceTimersByTime(59_000);
    await worker.count(tokenizableParts(request));
    expect(worker.stats().workerStarts).toBe(1);
    vi.advanceTimersByTime(60_000);
    expect(await worker.count(tokenizableParts(request))).toBe(countMessagesTokens(request));
    expect(worker.stats()).toMatchObject({ offThread: 3, workerStarts: 2 });
  }, 60_000);

  it("still answers, on the calling thread, when the worker cannot load the tokenizer, and says so once", async () => {
    const errors: string[] = [];
    worker = createTokenCountWorker({ resolveFrom: "/nonexistent/package.json", onError: (error) => errors.push(error.message) });
    const request = { messages: [{ content: "Hello there" }] };
    expect(await worker.count(tokenizableParts(request))).toBe(countMessagesTokens(request));
    expect(await worker.count(tokenizableParts(request))).toBe(countMessagesTokens(request));
    expect(worker.stats()).toEqual({ offThread: 0, inline: 2, workerStarts: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/gpt-tokenizer.*main thread/s);
  }, 60_000);
});

describe("tokenizable parts", () => {
  it("count the same as the tokenizer over the whole request would, block by block", () => {
    const parts = tokenizableParts(largeRequest);
    // One image at 1,600 and three messages at 3 each; everything else is text.
    expect(parts.fixedTokens).toBe(1600 + 3 * 3);
    expect(parts.texts).toContain('read_file{"path":"lib/a.ts"}');
    expect(parts.texts.at(-1)).toBe(JSON.stringify(largeRequest.tools));
  });
});
