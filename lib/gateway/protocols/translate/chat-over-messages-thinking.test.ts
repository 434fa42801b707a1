/**
 * Extended thinking in a tool loop over a Messages upstream: Anthropic wants the assistant
 * turn that began the loop back with its signed thinking first, and refuses the request
 * otherwise. The signed blocks ride in reasoning_details (reasoning-details.ts); a client
 * that does not send them gets thinking switched off for that request, never a 400.
 */
import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../openai-chat/request-schema.ts";
import { chatRequestToMessages } from "./chat-over-messages.ts";

const call = { id: "toolu_1", type: "function", function: { name: "f", arguments: "{}" } };
const signed = [{ type: "reasoning.text", text: "Think.", signature: "sig", format: "anthropic-claude-v1", index: 0 }];
const translate = (messages: unknown[], extra: Record<string, unknown> = { reasoning_effort: "medium" }) =>
  chatRequestToMessages({ model: "m", messages, max_tokens: 8000, ...extra } as ChatRequest, { defaultMaxTokens: 4096 });

describe("thinking in a tool loop", () => {
  it("stays on when the turn that began the loop comes back signed, and the thinking goes first", () => {
    const { body, dropped } = translate([
      { role: "user", content: "q" },
      { role: "assistant", content: "x", reasoning_details: signed, tool_calls: [call] },
      { role: "tool", tool_call_id: "toolu_1", content: "r" },
    ]);
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 4096 });
    expect((body.messages as { content: unknown[] }[])[1].content).toEqual([
      { type: "thinking", thinking: "Think.", signature: "sig" },
      { type: "text", text: "x" },
      { type: "tool_use", id: "toolu_1", name: "f", input: {} },
    ]);
    expect(dropped).toEqual([]);
  });

  it("is switched off, and said so, when that turn comes back without it", () => {
    const { body, dropped } = translate([
      { role: "user", content: "q" },
      { role: "assistant", content: null, tool_calls: [call] },
      { role: "tool", tool_call_id: "toolu_1", content: "r" },
    ]);
    expect(body.thinking).toBeUndefined();
    expect(dropped).toEqual([expect.stringContaining('reasoning_effort "medium"')]);
  });

  it("is judged by the turn that began the current loop, not by later calls in it or by earlier loops", () => {
    const later = [
      { role: "assistant", content: null, tool_calls: [{ ...call, id: "toolu_2" }] },
      { role: "tool", tool_call_id: "toolu_2", content: "r2" },
    ];
    const loop = [
      { role: "user", content: "q" },
      { role: "assistant", content: null, reasoning_details: signed, tool_calls: [call] },
      { role: "tool", tool_call_id: "toolu_1", content: "r" },
    ];
    expect(translate([...loop, ...later]).body.thinking).toBeDefined();
    // A new question after an unsigned loop starts afresh: thinking stays on.
    expect(
      translate([
        { role: "user", content: "q0" },
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: "toolu_1", content: "r" },
        { role: "assistant", content: "done" },
        { role: "user", content: "q" },
      ]).body.thinking,
    ).toBeDefined();
  });

  it("leaves signed thinking out when thinking is off (Anthropic refuses it in a final assistant turn)", () => {
    const { body } = translate(
      [
        { role: "user", content: "q" },
        { role: "assistant", content: "partial", reasoning_details: signed },
      ],
      {},
    );
    expect(body.thinking).toBeUndefined();
    expect((body.messages as { content: unknown[] }[])[1].content).toEqual([{ type: "text", text: "partial" }]);
  });
});
