/**
 * Anthropic client over an OpenAI upstream: golden fixtures replayed (requests,
 * responses, streams), the translated streams accumulated by the real Anthropic SDK,
 * and the stream's event-order invariants under random tool-call interleavings.
 */
import { readdirSync, readFileSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeSse, type SseEvent } from "../../sse.ts";
import { chatFinishToStopReason, chatResponseToMessage, createChatToMessagesStream, messagesRequestToChat } from "./messages-over-chat.ts";

type Json = Record<string, unknown>;
type StreamFixture = {
  name: string;
  description: string;
  options: { model: string; id: string; estimatedInputTokens: number };
  chunks: string[];
  callFinish: boolean;
  expected: { event: string; data: Json }[];
};

const DIR = new URL("./__fixtures__/messages-over-chat/", import.meta.url);
function fixtures<T>(prefix: string): T[] {
  return readdirSync(DIR)
    .filter((file) => file.startsWith(prefix) && file.endsWith(".json"))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ""), ...(JSON.parse(readFileSync(new URL(file, DIR), "utf8")) as object) }) as T);
}

const requestFixtures = fixtures<{ name: string; request: Json; expected: { body: Json; dropped: string[] } }>("request-");
const responseFixtures = fixtures<{ name: string; response: Json; options: { model: string; id?: string }; expected: Json }>("response-");
const streamFixtures = fixtures<StreamFixture>("stream-");

function runStream(options: StreamFixture["options"], chunks: string[], callFinish: boolean): SseEvent[] {
  const translator = createChatToMessagesStream(options);
  return [...chunks.flatMap((data) => translator.push({ data })), ...(callFinish ? translator.finish() : [])];
}

const decoded = (events: SseEvent[]) => events.map((e) => ({ event: e.event, data: JSON.parse(e.data) as Json }));

/** Anthropic's stream grammar: message_start first, one block open at a time, indexes 0,1,2…, message_delta then message_stop (or a final error). */
function expectWellFormed(events: SseEvent[]): void {
  const parsed = decoded(events);
  for (const { event, data } of parsed) expect(data.type).toBe(event);
  const names = parsed.map((e) => e.event);
  if (names.includes("error")) expect(names.indexOf("error")).toBe(names.length - 1);
  else expect(names.slice(-2)).toEqual(["message_delta", "message_stop"]);
  if (names[0] !== "error") expect(names[0]).toBe("message_start");
  let open: number | null = null;
  let next = 0;
  for (const { event, data } of parsed) {
    if (event === "content_block_start") {
      expect(open).toBeNull();
      expect(data.index).toBe(next);
      open = next++;
    } else if (event === "content_block_delta") expect(data.index).toBe(open);
    else if (event === "content_block_stop") {
      expect(data.index).toBe(open);
      open = null;
    } else if (event === "message_delta" || event === "message_stop") expect(open).toBeNull();
  }
}

/** The events, served as an SSE body, through the real Anthropic SDK's stream accumulator. */
async function sdkFinalMessage(events: SseEvent[]) {
  const body = events.map(encodeSse).join("");
  const client = new Anthropic({
    apiKey: "sk-test",
    baseURL: "http://gateway.test/api/anthropic",
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } }),
  });
  return client.messages.stream({ model: "anthropic/claude-sonnet-4.5", max_tokens: 100, messages: [{ role: "user", content: "hi" }] }).finalMessage();
}

describe("messagesRequestToChat (golden)", () => {
  it.each(requestFixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    const before = structuredClone(fixture.request);
    expect(messagesRequestToChat(fixture.request)).toEqual(fixture.expected);
    expect(fixture.request).toEqual(before);
  });
});

describe("chatResponseToMessage (golden)", () => {
  it.each(responseFixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    expect(chatResponseToMessage(fixture.response, fixture.options)).toEqual(fixture.expected);
  });
});

describe("createChatToMessagesStream (golden)", () => {
  it.each(streamFixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    const events = runStream(fixture.options, fixture.chunks, fixture.callFinish);
    expect(decoded(events)).toEqual(fixture.expected);
    expectWellFormed(events);
  });

  it.each(streamFixtures.filter((f) => !f.expected.some((e) => e.event === "error")).map((f) => [f.name, f] as const))(
    "%s is accumulated by the Anthropic SDK",
    async (_name, fixture) => {
      const message = await sdkFinalMessage(runStream(fixture.options, fixture.chunks, fixture.callFinish));
      const delta = fixture.expected.find((e) => e.event === "message_delta")!.data.delta as Json;
      expect(message.stop_reason).toBe(delta.stop_reason);
      expect(message.content.length).toBe(fixture.expected.filter((e) => e.event === "content_block_start").length);
    },
  );

  it("the SDK rebuilds the interleaved tool calls, text and usage", async () => {
    const fixture = streamFixtures.find((f) => f.name === "stream-two-tools-interleaved")!;
    const message = await sdkFinalMessage(runStream(fixture.options, fixture.chunks, fixture.callFinish));
    expect(message.content).toEqual([
      { type: "text", text: "Checking." },
      { type: "tool_use", id: "call_a", name: "get_weather", input: { city: "Paris" } },
      { type: "tool_use", id: "call_b", name: "get_time", input: { city: "Tokyo" } },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 80, output_tokens: 30, cache_read_input_tokens: 0 });
  });

  it("the SDK rebuilds thinking then text", async () => {
    const fixture = streamFixtures.find((f) => f.name === "stream-reasoning-then-text")!;
    const message = await sdkFinalMessage(runStream(fixture.options, fixture.chunks, fixture.callFinish));
    expect(message.content).toEqual([
      { type: "thinking", thinking: "Thinking…", signature: "" },
      { type: "text", text: "Answer." },
    ]);
  });

  it("the SDK surfaces a mid-stream error chunk as an APIError of the mapped type", async () => {
    const fixture = streamFixtures.find((f) => f.name === "stream-error-mid-stream")!;
    const error: unknown = await sdkFinalMessage(runStream(fixture.options, fixture.chunks, fixture.callFinish)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe("overloaded_error");
  });

  it("any interleaving of two tool calls' fragments, with text, yields valid blocks whose JSON parses to the inputs", async () => {
    const splits = (s: string) =>
      fc
        .array(fc.nat(s.length), { maxLength: 6 })
        .map((cuts) => [0, ...[...new Set(cuts)].sort((a, b) => a - b), s.length].map((c, i, all) => s.slice(all[i - 1] ?? 0, c)).slice(1));
    const inputs = [
      { city: "Paris", days: [1, 2] },
      { q: 'a "quoted" value', n: null },
    ];
    const args = inputs.map((input) => JSON.stringify(input));
    await fc.assert(
      fc.asyncProperty(
        splits(args[0]),
        splits(args[1]),
        fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
        fc.boolean(),
        async (a, b, order, withText) => {
          const chunk = (delta: Json, finish: string | null = null) => JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] });
          const call = (index: number, fragment: string, first: boolean) =>
            chunk({
              tool_calls: [
                {
                  index,
                  ...(first ? { id: `call_${index}`, type: "function" } : {}),
                  function: { ...(first ? { name: `fn${index}` } : {}), arguments: fragment },
                },
              ],
            });
          const queues = [a.map((f, i) => call(0, f, i === 0)), b.map((f, i) => call(1, f, i === 0))];
          const chunks = withText ? [chunk({ role: "assistant", content: "Hi" })] : [];
          // The first delta of call 1 never precedes the first delta of call 0 (indexes appear in order).
          chunks.push(queues[0].shift()!);
          for (const pickSecond of order) if (queues[pickSecond ? 1 : 0].length > 0) chunks.push(queues[pickSecond ? 1 : 0].shift()!);
          chunks.push(...queues[0], ...queues[1], chunk({}, "tool_calls"), "[DONE]");
          const events = runStream({ model: "m", id: "msg_p", estimatedInputTokens: 1 }, chunks, false);
          expectWellFormed(events);
          const parsed = decoded(events);
          const starts = parsed.filter((e) => e.event === "content_block_start");
          const toolArgs = (id: string) => {
            const index = starts.find((s) => (s.data.content_block as Json).id === id)!.data.index;
            return parsed
              .filter((e) => e.event === "content_block_delta" && e.data.index === index)
              .map((e) => (e.data.delta as Json).partial_json)
              .join("");
          };
          expect(JSON.parse(toolArgs("call_0"))).toEqual(inputs[0]);
          expect(JSON.parse(toolArgs("call_1"))).toEqual(inputs[1]);
          const message = await sdkFinalMessage(events);
          expect(message.content.filter((c) => c.type === "tool_use").map((c) => c.input)).toEqual(inputs);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("stream edge cases", () => {
  const options = { model: "m", id: "msg_e", estimatedInputTokens: 7 };

  it("[DONE] alone still yields a complete, empty message", () => {
    const events = runStream(options, ["[DONE]"], true);
    expect(events.map((e) => e.event)).toEqual(["message_start", "message_delta", "message_stop"]);
  });

  it("nothing is emitted after the message ends, and finish() is then a no-op", () => {
    const translator = createChatToMessagesStream(options);
    translator.push({ data: JSON.stringify({ choices: [{ index: 0, delta: { content: "x" }, finish_reason: "stop" }] }) });
    translator.push({ data: "[DONE]" });
    expect(translator.push({ data: JSON.stringify({ choices: [{ index: 0, delta: { content: "late" } }] }) })).toEqual([]);
    expect(translator.finish()).toEqual([]);
  });

  it("an error before any chunk is the only event; 429 maps to rate_limit_error", () => {
    const events = runStream(options, [JSON.stringify({ error: { message: "Too many requests", type: "rate_limit_exceeded", code: 429 } })], true);
    expect(decoded(events)).toEqual([{ event: "error", data: { type: "error", error: { type: "rate_limit_error", message: "Too many requests" } } }]);
  });

  it("ignores unparseable data and choices other than index 0", () => {
    const events = runStream(
      options,
      [
        "not json",
        JSON.stringify({
          choices: [
            { index: 1, delta: { content: "other" } },
            { index: 0, delta: { content: "mine" }, finish_reason: "stop" },
          ],
        }),
        "[DONE]",
      ],
      false,
    );
    const texts = decoded(events)
      .filter((e) => e.event === "content_block_delta")
      .map((e) => (e.data.delta as Json).text);
    expect(texts).toEqual(["mine"]);
  });

  it("thinking after text opens a new block (text and thinking may split; tool calls never do)", () => {
    const chunk = (delta: Json) => JSON.stringify({ choices: [{ index: 0, delta }] });
    const events = runStream(options, [chunk({ content: "a" }), chunk({ reasoning: "b" }), chunk({ content: "c" }), "[DONE]"], false);
    expectWellFormed(events);
    const blocks = decoded(events)
      .filter((e) => e.event === "content_block_start")
      .map((e) => (e.data.content_block as Json).type);
    expect(blocks).toEqual(["text", "thinking", "text"]);
  });
});

describe("chatFinishToStopReason", () => {
  it.each([
    ["stop", "end_turn"],
    ["length", "max_tokens"],
    ["tool_calls", "tool_use"],
    ["function_call", "tool_use"],
    ["content_filter", "refusal"],
    [null, "end_turn"],
    [undefined, "end_turn"],
    ["something_new", "end_turn"],
  ] as const)("%s → %s", (finish, stop) => {
    expect(chatFinishToStopReason(finish)).toBe(stop);
  });
});
