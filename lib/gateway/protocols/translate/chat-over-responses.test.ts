/**
 * Chat and Messages clients over a Responses upstream: the request (Chat → Responses),
 * the JSON answer and the stream back, each surface's output read by its own official
 * SDK. The upstream's events are the fake's, which mirror api.openai.com's.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { finalItem, streamFrames, type Item } from "@/fake-upstream/openai-responses-events";
import { encodeSse, type SseEvent } from "../../sse.ts";
import { chatSurface } from "../../surfaces/chat-surface.ts";
import { messagesSurface } from "../../surfaces/messages-surface.ts";
import type { ServedAs } from "../../surfaces/types.ts";
import { chatRequestToResponses } from "./chat-over-responses.ts";

type Json = Record<string, unknown>;

const items: Item[] = [
  { kind: "reasoning", id: "rs_1", summary: ["Let me ", "think."], encrypted: null },
  { kind: "message", id: "msg_1", parts: ["Checking ", "now."], truncated: false },
  { kind: "function_call", id: "fc_1", callId: "call_1", name: "get_weather", parts: ['{"city":', '"Paris"}'] },
];
const usage = {
  input_tokens: 50,
  input_tokens_details: { cached_tokens: 20 },
  output_tokens: 30,
  output_tokens_details: { reasoning_tokens: 9 },
  total_tokens: 80,
};
const base = { id: "resp_up", object: "response", created_at: 1, status: "in_progress", model: "upstream", output: [], usage: null };
const final = { ...base, status: "completed", output: items.map(finalItem), usage };
const upstreamEvents = (): SseEvent[] =>
  streamFrames(base, final, items).map((frame) => ({ event: /^event: (.+)$/m.exec(frame.text)![1], data: /^data: (.*)$/m.exec(frame.text)![1] }));
const served: ServedAs = { servedModel: "test/responses", id: "gen_1", created: 1_700_000_000, includeUsage: true, estimatedInputTokens: 10, request: {} };

function translate(surface: typeof chatSurface, events: SseEvent[]): string {
  const translator = surface.streamTranslator("openai-responses", served);
  return [...events.flatMap((event) => translator.push(event)), ...translator.finish()].map(encodeSse).join("");
}
const sse = (body: string) => async () => new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });

describe("chatRequestToResponses", () => {
  it("moves leading system messages to instructions, tool history to items, and names what it drops", () => {
    const { body, dropped } = chatRequestToResponses({
      model: "m",
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Weather?" },
            { type: "image_url", image_url: { url: "https://x/a.png" } },
          ],
        },
        { role: "assistant", content: "Checking.", tool_calls: [{ id: "c1", type: "function", function: { name: "w", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c1", content: "Sunny" },
      ],
      max_tokens: 8,
      stop: ["x"],
      response_format: { type: "json_schema", json_schema: { name: "o", schema: { type: "object" } } },
      reasoning_effort: "low",
      tools: [{ type: "function", function: { name: "w", parameters: { type: "object" } } }],
      tool_choice: { type: "function", function: { name: "w" } },
    });
    expect(body).toEqual({
      model: "m",
      instructions: "Be brief.",
      input: [
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_text", text: "Weather?" },
            { type: "input_image", image_url: "https://x/a.png" },
          ],
        },
        { type: "message", role: "assistant", content: "Checking." },
        { type: "function_call", call_id: "c1", name: "w", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "Sunny" },
      ],
      max_output_tokens: 16,
      tools: [{ type: "function", name: "w", parameters: { type: "object" } }],
      tool_choice: { type: "function", name: "w" },
      reasoning: { effort: "low" },
      text: { format: { type: "json_schema", name: "o", schema: { type: "object" } } },
      store: false,
    });
    expect(dropped).toEqual(["max_tokens 8 (raised to 16, the Responses minimum)", "stop (no Responses equivalent)"]);
  });
});

describe("a Chat client over a Responses upstream", () => {
  it("gets a chat.completion with reasoning, text, the tool call and usage", () => {
    const completion = chatSurface.jsonBody("openai-responses", final as Json, served);
    expect(completion).toMatchObject({
      id: "chatcmpl-gen_1",
      model: "test/responses",
      choices: [
        {
          message: {
            role: "assistant",
            content: "Checking now.",
            reasoning_content: "Let me think.",
            tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
          },
          finish_reason: "tool_calls",
        },
      ],
      usage: {
        prompt_tokens: 50,
        completion_tokens: 30,
        total_tokens: 80,
        prompt_tokens_details: { cached_tokens: 20 },
        completion_tokens_details: { reasoning_tokens: 9 },
      },
    });
  });

  it("streams chunks the openai SDK assembles into the same answer", async () => {
    const client = new OpenAI({ apiKey: "k", baseURL: "http://gw.test/api/v1", maxRetries: 0, fetch: sse(translate(chatSurface, upstreamEvents())) });
    const completion = await client.chat.completions
      .stream({ model: "test/responses", messages: [{ role: "user", content: "hi" }], stream_options: { include_usage: true } })
      .finalChatCompletion();
    expect(completion.choices[0].message.content).toBe("Checking now.");
    expect(completion.choices[0].finish_reason).toBe("tool_calls");
    expect(completion.choices[0].message.tool_calls?.[0]).toMatchObject({ id: "call_1", function: { name: "get_weather", arguments: '{"city":"Paris"}' } });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(20);
  });

  it("turns a stream that stops early into the in-stream error the SDK raises", async () => {
    const client = new OpenAI({
      apiKey: "k",
      baseURL: "http://gw.test/api/v1",
      maxRetries: 0,
      fetch: sse(translate(chatSurface, upstreamEvents().slice(0, 8))),
    });
    await expect(
      client.chat.completions.stream({ model: "test/responses", messages: [{ role: "user", content: "hi" }] }).finalChatCompletion(),
    ).rejects.toThrow(/ended early/);
  });
});

describe("a Messages client over a Responses upstream (through the Chat hub)", () => {
  it("gets a message with thinking, text and tool_use, and Anthropic's usage", () => {
    const message = messagesSurface.jsonBody("openai-responses", final as Json, served);
    expect(message).toMatchObject({
      id: "msg_gen_1",
      type: "message",
      stop_reason: "tool_use",
      usage: { input_tokens: 30, cache_read_input_tokens: 20, output_tokens: 30 },
    });
    expect((message.content as Json[]).map((block) => block.type)).toEqual(["thinking", "text", "tool_use"]);
  });

  it("streams events the Anthropic SDK assembles", async () => {
    const client = new Anthropic({
      apiKey: "k",
      baseURL: "http://gw.test/api/anthropic",
      maxRetries: 0,
      fetch: sse(translate(messagesSurface, upstreamEvents())),
    });
    const message = await client.messages.stream({ model: "test/responses", max_tokens: 100, messages: [{ role: "user", content: "hi" }] }).finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content.map((block) => block.type)).toEqual(["thinking", "text", "tool_use"]);
    expect(message.content[2]).toMatchObject({ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } });
    expect(message.usage).toMatchObject({ input_tokens: 30, cache_read_input_tokens: 20, output_tokens: 30 });
  });
});
