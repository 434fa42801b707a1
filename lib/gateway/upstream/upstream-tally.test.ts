import { describe, expect, it } from "vitest";
import { computeCost } from "../metering/pricing.ts";
import { meter } from "../metering/metering.ts";
import { newUpstreamTally, observeUpstreamEvent, tallyFromJson } from "./upstream-tally.ts";

const usd = (value: number) => [{ value, unit: "perMTokens" as const, currency: "USD" as const }];
const pricings = { prompt: usd(2), completion: usd(8), input_cache_read: usd(0.5) };
const totals = { promptTokenCount: 60, candidatesTokenCount: 12, thoughtsTokenCount: 5, cachedContentTokenCount: 40, totalTokenCount: 77 };
const chunk = (text: string, last = false) => ({
  data: JSON.stringify({
    candidates: [{ content: { role: "model", parts: [{ text }] }, index: 0, ...(last ? { finishReason: "STOP" } : {}) }],
    usageMetadata: last ? totals : { promptTokenCount: 60, totalTokenCount: 60 },
  }),
});

describe("the tally of a Gemini upstream", () => {
  it("reads the totals from the chunk with the finishReason: cached tokens out of the prompt, thoughts in the output", () => {
    const tally = newUpstreamTally();
    for (const event of [chunk("Hello "), chunk("there"), chunk("!", true)]) observeUpstreamEvent("google-gemini", event, tally, 5);
    expect(tally).toMatchObject({ complete: true, usageFinal: true, finishReason: "STOP", producedChars: 12, firstContentAt: 5 });
    expect(tally.usage).toEqual({ inputTokens: 20, cacheReadTokens: 40, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 17, reasoningTokens: 5 });
    expect(meter(pricings, tally, 999).cost.totalNanoUsd).toBe(computeCost(pricings, tally.usage!).totalNanoUsd);
  });

  it("bills a stream cut before its finish for the prompt it reported and the text it produced", () => {
    const tally = newUpstreamTally();
    for (const event of [chunk("x".repeat(40)), chunk("y".repeat(40))]) observeUpstreamEvent("google-gemini", event, tally, 1);
    expect(tally).toMatchObject({ complete: false, usageFinal: false, finishReason: null });
    const metering = meter(pricings, tally, 999);
    expect(metering.usage).toMatchObject({ inputTokens: 60, outputTokens: 20 });
    expect(metering.estimated).toBe(true);
  });

  it("marks an error object in the stream as a failure", () => {
    const tally = newUpstreamTally();
    observeUpstreamEvent("google-gemini", { data: JSON.stringify({ error: { code: 503, message: "overloaded", status: "UNAVAILABLE" } }) }, tally, 1);
    expect(tally.failed).toBe(true);
  });

  it("reads a JSON answer's usage, finish and produced content, a blocked prompt included", () => {
    const answer = {
      candidates: [{ content: { role: "model", parts: [{ text: "Hi" }, { functionCall: { name: "f", args: { a: 1 } } }] }, finishReason: "STOP" }],
      usageMetadata: totals,
    };
    const tally = tallyFromJson("google-gemini", answer, 3);
    expect(tally).toMatchObject({ complete: true, usageFinal: true, finishReason: "STOP", producedChars: 2 + 1 + 7 });
    expect(tally.usage).toMatchObject({ inputTokens: 20, cacheReadTokens: 40, outputTokens: 17, reasoningTokens: 5 });
    expect(tallyFromJson("google-gemini", { promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 9 } }, 3)).toMatchObject({
      finishReason: "SAFETY",
      usage: { inputTokens: 9, outputTokens: 0 },
    });
  });
});
