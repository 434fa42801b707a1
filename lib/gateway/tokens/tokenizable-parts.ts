/**
 * What count_tokens tokenizes in an Anthropic Messages request: the texts, in order, and the
 * tokens counted without a tokenizer (a nominal 1,600 per image or document, Anthropic's
 * figure for a ~1.15 MP image, and 3 per message). A cheap walk over the parsed request, so
 * the tokenizer itself can run on another thread over plain strings.
 */
const IMAGE_TOKENS = 1600;
const PER_MESSAGE_OVERHEAD = 3;

export type TokenizableParts = { texts: string[]; fixedTokens: number };

export type CountableRequest = { system?: unknown; messages: { content: unknown }[]; tools?: unknown[] };

function addBlock(block: unknown, parts: TokenizableParts): void {
  if (typeof block === "string") {
    parts.texts.push(block);
    return;
  }
  if (!block || typeof block !== "object") return;
  const b = block as Record<string, unknown>;
  switch (b.type) {
    case "image":
    case "image_url":
    case "document":
      parts.fixedTokens += IMAGE_TOKENS;
      return;
    case "text":
      parts.texts.push(String(b.text ?? ""));
      return;
    case "thinking":
      parts.texts.push(String(b.thinking ?? ""));
      return;
    case "tool_use":
      parts.texts.push(`${String(b.name ?? "")}${JSON.stringify(b.input ?? {})}`);
      return;
    case "tool_result":
      if (Array.isArray(b.content)) for (const part of b.content) addBlock(part, parts);
      else addBlock(b.content ?? "", parts);
      return;
    default:
      parts.texts.push(JSON.stringify(b));
  }
}

function addContent(content: unknown, parts: TokenizableParts): void {
  if (Array.isArray(content)) for (const block of content) addBlock(block, parts);
  else if (content) addBlock(content, parts);
}

export function tokenizableParts(request: CountableRequest): TokenizableParts {
  const parts: TokenizableParts = { texts: [], fixedTokens: 0 };
  addContent(request.system, parts);
  for (const message of request.messages) {
    parts.fixedTokens += PER_MESSAGE_OVERHEAD;
    if (Array.isArray(message.content)) for (const block of message.content) addBlock(block, parts);
    else addBlock(message.content, parts);
  }
  if (request.tools?.length) parts.texts.push(JSON.stringify(request.tools));
  return parts;
}

/** The size of what a count will tokenize, in UTF-16 code units (what decides inline or off-thread). */
export function partsLength(parts: TokenizableParts): number {
  let length = 0;
  for (const text of parts.texts) length += text.length;
  return length;
}
