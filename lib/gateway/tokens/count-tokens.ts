/**
 * Token counts for Anthropic's count_tokens. Counted with the o200k_base encoding
 * (gpt-tokenizer), exact for current OpenAI models; Anthropic's tokenizer is not
 * public, so for Claude and other models the count is an estimate (documented).
 * Images count a nominal 1,600 tokens each (Anthropic's figure for a ~1.15 MP image).
 */
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";

const IMAGE_TOKENS = 1600;
const PER_MESSAGE_OVERHEAD = 3;

function blockTokens(block: unknown): number {
  if (typeof block === "string") return countTokens(block);
  if (!block || typeof block !== "object") return 0;
  const b = block as Record<string, unknown>;
  switch (b.type) {
    case "image":
    case "image_url":
    case "document":
      return IMAGE_TOKENS;
    case "text":
      return countTokens(String(b.text ?? ""));
    case "thinking":
      return countTokens(String(b.thinking ?? ""));
    case "tool_use":
      return countTokens(`${String(b.name ?? "")}${JSON.stringify(b.input ?? {})}`);
    case "tool_result":
      return Array.isArray(b.content) ? b.content.reduce((n: number, part) => n + blockTokens(part), 0) : blockTokens(b.content ?? "");
    default:
      return countTokens(JSON.stringify(b));
  }
}

export function countMessagesTokens(request: { system?: unknown; messages: { content: unknown }[]; tools?: unknown[] }): number {
  const system = Array.isArray(request.system) ? request.system.reduce((n: number, b) => n + blockTokens(b), 0) : request.system ? blockTokens(request.system) : 0;
  const messages = request.messages.reduce((n, m) => n + PER_MESSAGE_OVERHEAD + (Array.isArray(m.content) ? m.content.reduce((k: number, b) => k + blockTokens(b), 0) : blockTokens(m.content)), 0);
  const tools = request.tools?.length ? countTokens(JSON.stringify(request.tools)) : 0;
  return system + messages + tools;
}
