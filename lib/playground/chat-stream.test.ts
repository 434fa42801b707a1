import { describe, expect, it } from "vitest";
import { buildChatRequest, checkPlaygroundInput } from "./chat-request";
import { createChatStreamReader, describeGatewayError, usdDecimal, type ChatStreamEvent } from "./chat-stream";

describe("playground chat request", () => {
  it("pins with model:provider, routes by a preference otherwise, and always asks for usage", () => {
    const turns = [{ role: "user" as const, content: "Hi" }];
    expect(buildChatRequest({ model: "e2e/chat", provider: "e2e-fast", routing: "price" }, "", turns)).toEqual({
      model: "e2e/chat:e2e-fast",
      messages: turns,
      stream: true,
      stream_options: { include_usage: true },
    });
    const routed = buildChatRequest({ model: "e2e/chat", provider: "", routing: "latency" }, "  Be brief. ", turns);
    expect(routed.model).toBe("e2e/chat");
    expect(routed.provider).toEqual({ routing: { type: "priority", primary_factor: "latency" } });
    expect(routed.messages[0]).toEqual({ role: "system", content: "Be brief." });
    expect(buildChatRequest({ model: "m", provider: "", routing: "default" }, "", turns).provider).toBeUndefined();
  });

  it("refuses a missing model or an empty message before sending", () => {
    expect(checkPlaygroundInput([""], "Hi")).toMatch(/model/);
    expect(checkPlaygroundInput(["a", ""], "Hi")).toMatch(/model/);
    expect(checkPlaygroundInput(["a"], "   ")).toMatch(/message/);
    expect(checkPlaygroundInput(["a", "b"], "Hi")).toBeNull();
  });
});

describe("playground stream reader", () => {
  it("reads deltas split across chunks, the finish reason, the usage with its cost and [DONE]", () => {
    const events: ChatStreamEvent[] = [];
    const reader = createChatStreamReader((event) => events.push(event));
    const text =
      'data: {"choices":[{"delta":{"role":"assistant","content":"Hel"}}]}\n\n' +
      'data: {"choices":[{"delta":{"content":"lo"},"finish_reason":"stop"}]}\n\n' +
      'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"cost":0.000012}}\n\n' +
      "data: [DONE]\n\n";
    for (let i = 0; i < text.length; i += 7) reader.feed(text.slice(i, i + 7));
    expect(events).toEqual([
      { kind: "text", text: "Hel" },
      { kind: "text", text: "lo" },
      { kind: "finish", reason: "stop" },
      { kind: "usage", usage: { promptTokens: 5, completionTokens: 2, cost: "0.000012" } },
    ]);
  });

  it("writes costs as plain decimals", () => {
    expect(usdDecimal(1e-7)).toBe("0.0000001");
    expect(usdDecimal(0.000012)).toBe("0.000012");
    expect(usdDecimal(3)).toBe("3");
    expect(usdDecimal(0)).toBe("0");
  });

  it("reports an error event sent after the first byte", () => {
    const events: ChatStreamEvent[] = [];
    createChatStreamReader((event) => events.push(event)).feed('data: {"error":{"code":"502","type":"upstream_error","message":"stream cut"}}\n\n');
    expect(events).toEqual([{ kind: "error", message: "stream cut" }]);
  });

  it("describes refusals readably", () => {
    expect(describeGatewayError(402, "Insufficient balance")).toMatch(/^Insufficient balance \(402\).*Billing/);
    expect(describeGatewayError(429, "Too many requests")).toMatch(/Rate limited \(429\)/);
    expect(describeGatewayError(502, "all providers failed")).toMatch(/No provider could answer \(502\): all providers failed/);
    expect(describeGatewayError(500, undefined)).toBe("Error 500: The gateway answered 500");
  });
});
