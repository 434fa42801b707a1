/**
 * Signed reasoning through the Chat hub. Anthropic signs every thinking block (and sends
 * some as redacted_thinking, opaque data); a later request must carry those blocks back
 * unchanged before its tool results, or a Messages upstream with extended thinking refuses
 * the turn. Chat Completions has no field for them, so the hub carries them in
 * OpenRouter's `reasoning_details` extension, on an assistant message (answers and the
 * history a client sends back) and on stream deltas:
 *
 *   { type: "reasoning.text", text, signature, format: "anthropic-claude-v1", index }
 *   { type: "reasoning.encrypted", data, format: "anthropic-claude-v1", index }
 *
 * `index` is the block's place among the message's reasoning blocks. In a stream the text
 * comes as reasoning_content deltas and the detail only when its block ends, with the
 * signature and no text. A Responses client keeps each block as a reasoning item whose
 * `encrypted_content` is the signature (or data) behind a mark naming what it is, so the
 * gateway knows it again and an OpenAI item's own encrypted_content is never mistaken for it.
 * Pure.
 */
type Json = Record<string, unknown>;

export const ANTHROPIC_REASONING_FORMAT = "anthropic-claude-v1";
const SIGNATURE_MARK = "anthropic-thinking-signature:";
const REDACTED_MARK = "anthropic-redacted-thinking:";

export type ReasoningDetail =
  | { type: "reasoning.text"; text?: string; signature: string; format: string; index: number }
  | { type: "reasoning.encrypted"; data: string; format: string; index: number };

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** An Anthropic message's thinking and redacted_thinking blocks, as details (in their order). */
export function detailsFromBlocks(blocks: Json[]): ReasoningDetail[] {
  const details: ReasoningDetail[] = [];
  for (const block of blocks) {
    const index = details.length;
    if (block.type === "thinking")
      details.push({
        type: "reasoning.text",
        text: typeof block.thinking === "string" ? block.thinking : "",
        signature: typeof block.signature === "string" ? block.signature : "",
        format: ANTHROPIC_REASONING_FORMAT,
        index,
      });
    else if (block.type === "redacted_thinking" && typeof block.data === "string")
      details.push({ type: "reasoning.encrypted", data: block.data, format: ANTHROPIC_REASONING_FORMAT, index });
  }
  return details;
}

/** The Anthropic details on a Chat message or delta (others, e.g. another provider's, are not ours to send on). */
export function reasoningDetailsOf(message: Json): ReasoningDetail[] {
  const list = Array.isArray(message.reasoning_details) ? message.reasoning_details.filter(isRecord) : [];
  return list.filter((detail): detail is ReasoningDetail => {
    if (detail.format !== undefined && detail.format !== ANTHROPIC_REASONING_FORMAT) return false;
    if (detail.type === "reasoning.text") return typeof detail.signature === "string";
    return detail.type === "reasoning.encrypted" && typeof detail.data === "string";
  });
}

/** Details → the blocks an Anthropic assistant turn starts with; unsigned thinking cannot be sent back and is left out. */
export function blocksFromDetails(details: ReasoningDetail[]): Json[] {
  return details.flatMap((detail): Json[] => {
    if (detail.type === "reasoning.encrypted") return [{ type: "redacted_thinking", data: detail.data }];
    return detail.signature ? [{ type: "thinking", thinking: detail.text ?? "", signature: detail.signature }] : [];
  });
}

/** A detail as a Responses reasoning item's encrypted_content; null for thinking without a signature (nothing to send back). */
export function encryptedContentOf(detail: ReasoningDetail): string | null {
  if (detail.type === "reasoning.encrypted") return `${REDACTED_MARK}${detail.data}`;
  return detail.signature ? `${SIGNATURE_MARK}${detail.signature}` : null;
}

/** A Responses reasoning item the gateway wrote → its detail; null for any other item (no mark, or none at all). */
export function detailFromReasoningItem(item: { summary?: { text: string }[]; encrypted_content?: string | null }, index: number): ReasoningDetail | null {
  const sealed = item.encrypted_content ?? "";
  if (sealed.startsWith(REDACTED_MARK))
    return { type: "reasoning.encrypted", data: sealed.slice(REDACTED_MARK.length), format: ANTHROPIC_REASONING_FORMAT, index };
  if (!sealed.startsWith(SIGNATURE_MARK)) return null;
  const text = (item.summary ?? []).map((part) => part.text).join("");
  return { type: "reasoning.text", text, signature: sealed.slice(SIGNATURE_MARK.length), format: ANTHROPIC_REASONING_FORMAT, index };
}

/**
 * A reasoning item the gateway wrote from Anthropic thinking: only a Messages upstream can
 * read it, so a Responses upstream should not be sent it (an OpenAI one cannot decrypt it).
 */
export function isAnthropicReasoningItem(item: unknown): boolean {
  if (!isRecord(item) || item.type !== "reasoning" || typeof item.encrypted_content !== "string") return false;
  return item.encrypted_content.startsWith(SIGNATURE_MARK) || item.encrypted_content.startsWith(REDACTED_MARK);
}

/**
 * A Chat hub body without the extension, for a Chat upstream: the signatures are only
 * Anthropic's to read, and OpenAI may refuse a message field it does not know. (A Chat
 * client's own body goes as the client sent it: not through here.)
 */
export function withoutReasoningDetails(chat: Json): Json {
  const messages = Array.isArray(chat.messages) ? chat.messages : [];
  if (!messages.some((message) => isRecord(message) && "reasoning_details" in message)) return chat;
  return {
    ...chat,
    messages: messages.map((message: unknown) => {
      if (!isRecord(message) || !("reasoning_details" in message)) return message;
      const copy = { ...message };
      delete copy.reasoning_details;
      return copy;
    }),
  };
}
