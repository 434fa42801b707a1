/**
 * Golden fixtures for an OpenAI Chat client served by an Anthropic upstream
 * (__fixtures__/chat-over-messages/*.json), replayed; translated streams are also fed
 * through the official OpenAI SDK's stream accumulator to prove clients accept them.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { encodeSse, type SseEvent } from "../../sse.ts";
import type { ChatRequest } from "../openai-chat/request-schema.ts";
import { chatRequestToMessages, createMessagesToChatStream, messageToChatResponse, stopReasonToFinish } from "./chat-over-messages.ts";

const dir = path.join(import.meta.dirname, "__fixtures__", "chat-over-messages");
const load = <T>(prefix: string): [string, T][] =>
  readdirSync(dir)
    .filter((file) => file.startsWith(prefix) && file.endsWith(".json"))
    .map((file) => [file.replace(/\.json$/, ""), JSON.parse(readFileSync(path.join(dir, file), "utf8")) as T]);

type RequestFixture = { options: { defaultMaxTokens: number }; request: ChatRequest; expected: { body: Record<string, unknown>; dropped: string[] } };
type ResponseFixture = { options: { model: string; id?: string; created?: number }; message: Record<string, unknown>; expected: Record<string, unknown> };
type SdkExpectation = {
  content: string | null;
  finish_reason: string;
  tool_calls?: { id: string; name: string; arguments: unknown }[];
  usage?: Record<string, number>;
};
type StreamFixture = {
  options: { model: string; id: string; created: number; includeUsage: boolean };
  events: SseEvent[];
  expected: string[];
  sdk?: SdkExpectation;
  sdkError?: string;
};

const requests = load<RequestFixture>("request-");
const responses = load<ResponseFixture>("response-");
const streams = load<StreamFixture>("stream-");

function translateStream(fixture: StreamFixture): SseEvent[] {
  const translator = createMessagesToChatStream(fixture.options);
  return [...fixture.events.flatMap((event) => translator.push(event)), ...translator.finish()];
}

/** The official client, reading our SSE from a fake fetch, through ChatCompletionStream. */
async function sdkFinal(events: SseEvent[], includeUsage: boolean) {
  const body = events.map(encodeSse).join("");
  const client = new OpenAI({
    apiKey: "sk-test",
    baseURL: "http://gateway.test/api/v1",
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } }),
  });
  const stream = client.chat.completions.stream({ model: "m", messages: [{ role: "user", content: "hi" }], stream_options: { include_usage: includeUsage } });
  return stream.finalChatCompletion();
}

describe("chat over messages: requests", () => {
  it("has fixtures", () => expect(requests.length).toBeGreaterThanOrEqual(10));
  it.each(requests)("%s", (_name, fixture) => {
    const frozen = structuredClone(fixture.request);
    const { body, dropped } = chatRequestToMessages(fixture.request, fixture.options);
    expect(body).toEqual(fixture.expected.body);
    expect(dropped).toEqual(fixture.expected.dropped);
    expect(fixture.request).toEqual(frozen); // the input is not modified
  });
});

describe("chat over messages: responses", () => {
  it("has fixtures", () => expect(responses.length).toBeGreaterThanOrEqual(5));
  it.each(responses)("%s", (_name, fixture) => {
    expect(messageToChatResponse(fixture.message, fixture.options)).toEqual(fixture.expected);
  });

  it("maps every stop_reason", () => {
    const table: [string | null | undefined, string | null][] = [
      ["end_turn", "stop"],
      ["stop_sequence", "stop"],
      ["pause_turn", "stop"],
      ["max_tokens", "length"],
      ["model_context_window_exceeded", "length"],
      ["tool_use", "tool_calls"],
      ["refusal", "content_filter"],
      [null, null],
      [undefined, null],
    ];
    for (const [stop, finish] of table) expect(stopReasonToFinish(stop)).toBe(finish);
  });
});

describe("chat over messages: streams", () => {
  it("has fixtures", () => expect(streams.length).toBeGreaterThanOrEqual(5));
  it.each(streams)("%s replays", (_name, fixture) => {
    const out = translateStream(fixture);
    expect(out.every((event) => event.event === undefined)).toBe(true);
    expect(out.map((event) => event.data)).toEqual(fixture.expected);
  });

  it.each(streams)("%s is accepted by the OpenAI SDK", async (_name, fixture) => {
    const events = translateStream(fixture);
    if (fixture.sdkError) {
      await expect(sdkFinal(events, fixture.options.includeUsage)).rejects.toThrow(fixture.sdkError);
      return;
    }
    const completion = await sdkFinal(events, fixture.options.includeUsage);
    const choice = completion.choices[0];
    expect(choice.message.content).toBe(fixture.sdk!.content);
    expect(choice.finish_reason).toBe(fixture.sdk!.finish_reason);
    const calls = (choice.message.tool_calls ?? []).map((call) =>
      call.type === "function" ? { id: call.id, name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown } : call,
    );
    expect(calls).toEqual(fixture.sdk!.tool_calls ?? []);
    if (fixture.sdk!.usage) expect(completion.usage).toMatchObject(fixture.sdk!.usage);
  });

  it("emits nothing after message_stop or an error, and finish() is then silent", () => {
    const [, fixture] = streams.find(([name]) => name === "stream-text")!;
    const translator = createMessagesToChatStream(fixture.options);
    fixture.events.forEach((event) => translator.push(event));
    expect(
      translator.push({ event: "content_block_delta", data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}' }),
    ).toEqual([]);
    expect(translator.finish()).toEqual([]);
  });

  it("turns an unreadable event into an error chunk", () => {
    const translator = createMessagesToChatStream({ model: "m", id: "c", created: 1, includeUsage: false });
    const [event] = translator.push({ event: "message_start", data: "{not json" });
    expect(JSON.parse(event.data)).toMatchObject({ error: { type: "provider_error", code: "502" } });
    expect(translator.finish()).toEqual([]);
  });
});
