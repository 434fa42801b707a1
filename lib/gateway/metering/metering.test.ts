import { describe, expect, it } from "vitest";
import type { Pricings } from "./price-schema.ts";
import { estimateOutputTokens, meter } from "./metering.ts";
import { newUpstreamTally, observeUpstreamEvent, tallyFromJson, type UpstreamTally } from "../upstream/upstream-tally.ts";

const pricings: Pricings = {
  prompt: [{ value: 3, unit: "perMTokens", currency: "USD" }],
  completion: [{ value: 15, unit: "perMTokens", currency: "USD" }],
};

const anthropic = (type: string, data: Record<string, unknown>) => ({ event: type, data: JSON.stringify({ type, ...data }) });
const openAi = (data: Record<string, unknown>) => ({ data: JSON.stringify(data) });

function feed(protocol: "openai-chat" | "anthropic-messages", events: { event?: string; data: string }[]): UpstreamTally {
  const tally = newUpstreamTally();
  for (const event of events) observeUpstreamEvent(protocol, event, tally, 1);
  return tally;
}

const text = "lorem ipsum dolor sit amet consectetur ".repeat(5);
const messageStart = anthropic("message_start", { message: { usage: { input_tokens: 40, output_tokens: 1 } } });
const textDelta = anthropic("content_block_delta", { index: 0, delta: { type: "text_delta", text } });

describe("metering a stream that ended without its closing usage", () => {
  it("bills an Anthropic stream cut after message_start for the text it relayed, not message_start's 1 output token", () => {
    const metering = meter(pricings, feed("anthropic-messages", [messageStart, textDelta]), 999);
    expect(metering.usage.inputTokens).toBe(40);
    expect(metering.completionTokens).toBe(estimateOutputTokens(text.length));
    expect(metering.estimated).toBe(true);
    expect(metering.cost.totalNanoUsd).toBe(40n * 3000n + BigInt(estimateOutputTokens(text.length)) * 15_000n);
  });

  it("keeps an Anthropic stream's reported output when it is larger than the estimate", () => {
    const thinking = anthropic("message_start", { message: { usage: { input_tokens: 40, output_tokens: 500 } } });
    expect(meter(pricings, feed("anthropic-messages", [thinking, textDelta]), 999).completionTokens).toBe(500);
  });

  it("bills exactly the closing usage of a finished Anthropic stream, even when the estimate is larger", () => {
    const done = anthropic("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 7 } });
    const metering = meter(pricings, feed("anthropic-messages", [messageStart, textDelta, done, anthropic("message_stop", {})]), 999);
    expect(metering.completionTokens).toBe(7);
    expect(metering.estimated).toBe(false);
  });

  it("bills an OpenAI stream cut before its usage chunk from the relayed text and the prompt estimate", () => {
    const metering = meter(pricings, feed("openai-chat", [openAi({ choices: [{ delta: { content: text } }] })]), 25);
    expect(metering.usage.inputTokens).toBe(25);
    expect(metering.completionTokens).toBe(estimateOutputTokens(text.length));
  });

  it("treats running usage on content chunks (vLLM-style) as provisional until the finishing chunk", () => {
    const running = openAi({ choices: [{ delta: { content: text } }], usage: { prompt_tokens: 30, completion_tokens: 2 } });
    expect(meter(pricings, feed("openai-chat", [running]), 999).completionTokens).toBe(estimateOutputTokens(text.length));
    const closing = openAi({ choices: [], usage: { prompt_tokens: 30, completion_tokens: 9 } });
    expect(meter(pricings, feed("openai-chat", [running, closing]), 999).completionTokens).toBe(9);
  });

  it("meters a JSON answer without usage from its content, and one with usage exactly", () => {
    const body = { choices: [{ message: { role: "assistant", content: text }, finish_reason: "stop" }] };
    expect(meter(pricings, tallyFromJson("openai-chat", body, 1), 25).completionTokens).toBeGreaterThan(0);
    const reported = { ...body, usage: { prompt_tokens: 30, completion_tokens: 4 } };
    expect(meter(pricings, tallyFromJson("openai-chat", reported, 1), 25).completionTokens).toBe(4);
  });
});
