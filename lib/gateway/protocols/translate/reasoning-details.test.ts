/**
 * Signed Anthropic reasoning in the Chat hub (reasoning-details.ts): what a Responses
 * client's reasoning items become on the way to Chat, and what is left alone.
 */
import { describe, expect, it } from "vitest";
import type { ResponsesRequest } from "../openai-responses/request-schema.ts";
import { blocksFromDetails, detailFromReasoningItem, encryptedContentOf, isAnthropicReasoningItem, type ReasoningDetail } from "./reasoning-details.ts";
import { chatResponseToResponses, responsesRequestToChat } from "./responses-over-chat.ts";
import { createChatToResponsesStream } from "./responses-over-chat-stream.ts";

const thinking: ReasoningDetail = { type: "reasoning.text", text: "Hmm.", signature: "sig", format: "anthropic-claude-v1", index: 0 };
const redacted: ReasoningDetail = { type: "reasoning.encrypted", data: "opaque", format: "anthropic-claude-v1", index: 1 };
const call = { type: "function_call", call_id: "toolu_1", name: "f", arguments: "{}" };

describe("reasoning details", () => {
  it("read back from the reasoning items they were written as", () => {
    expect(detailFromReasoningItem({ summary: [{ text: "Hmm." }], encrypted_content: encryptedContentOf(thinking) }, 0)).toEqual(thinking);
    expect(detailFromReasoningItem({ summary: [], encrypted_content: encryptedContentOf(redacted) }, 1)).toEqual(redacted);
  });

  it("leave another provider's reasoning alone: an OpenAI item's encrypted_content, or none", () => {
    expect(detailFromReasoningItem({ summary: [{ text: "x" }], encrypted_content: "gAAAAABo-openai" }, 0)).toBeNull();
    expect(detailFromReasoningItem({ summary: [{ text: "x" }] }, 0)).toBeNull();
    const { body, dropped } = responsesRequestToChat({
      model: "m",
      input: [{ type: "reasoning", summary: [], encrypted_content: "gAAAAABo-openai" }, call],
    } as ResponsesRequest);
    expect(body.messages).toEqual([
      { role: "assistant", content: null, tool_calls: [{ id: "toolu_1", type: "function", function: { name: "f", arguments: "{}" } }] },
    ]);
    expect(dropped).toEqual(["input[0] (reasoning items have no Chat Completions form)"]);
  });

  it("go on the assistant turn after them; with none after them, they are dropped and said so", () => {
    const input = [
      { type: "reasoning", summary: [{ type: "summary_text", text: "Hmm." }], encrypted_content: encryptedContentOf(thinking) },
      call,
      { type: "function_call_output", call_id: "toolu_1", output: "ok" },
    ];
    const { body, dropped } = responsesRequestToChat({
      model: "m",
      input: [...input, { type: "reasoning", summary: [], encrypted_content: encryptedContentOf(redacted) }],
    } as ResponsesRequest);
    expect((body.messages as Record<string, unknown>[])[0].reasoning_details).toEqual([thinking]);
    expect(dropped).toEqual(["input[3] (reasoning with no assistant turn after it)"]);
  });

  it("become Anthropic blocks; unsigned thinking cannot be sent back", () => {
    expect(blocksFromDetails([thinking, redacted, { ...thinking, signature: "" }])).toEqual([
      { type: "thinking", thinking: "Hmm.", signature: "sig" },
      { type: "redacted_thinking", data: "opaque" },
    ]);
  });

  it("are known again among a Responses request's items (for a Responses upstream, which cannot read them)", () => {
    expect(isAnthropicReasoningItem({ type: "reasoning", summary: [], encrypted_content: encryptedContentOf(thinking) })).toBe(true);
    expect(isAnthropicReasoningItem({ type: "reasoning", summary: [], encrypted_content: encryptedContentOf(redacted) })).toBe(true);
    expect(isAnthropicReasoningItem({ type: "reasoning", summary: [], encrypted_content: "gAAAAABo-openai" })).toBe(false);
    expect(isAnthropicReasoningItem({ type: "message", role: "user", content: "anthropic-thinking-signature:x" })).toBe(false);
  });

  it("from a Chat upstream that sends them as OpenRouter does (text in every delta, the signature last): one item, sealed once", () => {
    const shape = { id: "resp_x", model: "m", createdAt: 0, request: {} };
    const translator = createChatToResponsesStream(shape);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      data: JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] }),
    });
    const detail = (extra: Record<string, unknown>) => ({ reasoning_details: [{ type: "reasoning.text", format: "anthropic-claude-v1", index: 0, ...extra }] });
    const events = [
      chunk({ reasoning: "Hm", ...detail({ text: "Hm", signature: null }) }),
      chunk({ reasoning: "m.", ...detail({ text: "m.", signature: "" }) }),
      chunk(detail({ signature: "sig" })),
      chunk({ content: "Hi" }, "stop"),
    ]
      .flatMap((event) => translator.push(event))
      .concat(translator.finish());
    const done = events.filter((e) => e.event === "response.output_item.done").map((e) => (JSON.parse(e.data) as { item: Record<string, unknown> }).item);
    expect(done[0]).toEqual({
      id: "rs_x_0",
      type: "reasoning",
      summary: [{ type: "summary_text", text: "Hmm." }],
      encrypted_content: "anthropic-thinking-signature:sig",
    });
    expect(done.map((item) => item.type)).toEqual(["reasoning", "message"]);
    // Unsigned thinking in a JSON answer is an item without encrypted_content.
    const answer = chatResponseToResponses(
      { choices: [{ message: { content: "Hi", reasoning_content: "Hmm.", reasoning_details: [{ ...thinking, signature: "" }] }, finish_reason: "stop" }] },
      shape,
    );
    expect((answer.output as Record<string, unknown>[])[0]).toEqual({ id: "rs_x_0", type: "reasoning", summary: [{ type: "summary_text", text: "Hmm." }] });
  });
});
