import { describe, expect, it } from "vitest";
import { WIRE_APIS } from "../gateway/ports/gateway-deps.ts";
import { CLIENT_PROTOCOLS, protocolLabel, protocolRoute } from "./protocol-names.ts";

describe("protocol names in the console", () => {
  it("names every protocol a record can hold, the coming ones included", () => {
    expect([...CLIENT_PROTOCOLS].sort()).toEqual([...WIRE_APIS].sort());
    expect(protocolLabel("generate_content", "full")).toBe("Google Gemini generateContent");
    expect(protocolLabel("embeddings")).toBe("Embeddings");
    // A name this console does not know yet is shown as stored, never dropped.
    expect(protocolLabel("realtime")).toBe("realtime");
  });

  it("shows client → upstream when the gateway translated, one name when it did not", () => {
    expect(protocolRoute("chat", "messages")).toBe("OpenAI Chat → Anthropic");
    expect(protocolRoute("responses", "chat", "full")).toBe("OpenAI Responses → OpenAI Chat Completions");
    expect(protocolRoute("messages", "messages")).toBe("Anthropic");
    expect(protocolRoute("chat", null)).toBe("OpenAI Chat");
  });
});
