/**
 * What a chat request needs from an endpoint, read once from the parsed body: tools,
 * image input, JSON mode, and a prompt-size estimate for context-length filtering
 * and price tiers. The estimate is ~4 characters per token; exact counts come from
 * the upstream's usage.
 */
import type { ChatRequest } from "../protocols/openai-chat/request-schema.ts";

export type RequestNeeds = {
  tools: boolean;
  images: boolean;
  json: boolean;
  estimatedPromptTokens: number;
  maxOutputTokens: number | null;
  /** what must fit one context window when it is not the whole prompt (an embeddings batch: its longest input) */
  contextTokens?: number;
};

function textLength(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, part) => sum + textLength(part), 0);
  if (value && typeof value === "object") {
    const part = value as Record<string, unknown>;
    // An image costs tokens too, but its size is not in the text; count a nominal amount.
    if (part.type === "image_url" || part.type === "image") return 3000;
    return textLength(part.text) + textLength(part.content) + textLength(part.arguments) + textLength((part as { function?: unknown }).function);
  }
  return 0;
}

export function readRequestNeeds(request: ChatRequest): RequestNeeds {
  const chars =
    request.messages.reduce((sum, m) => sum + textLength(m.content) + textLength(m.tool_calls) + 16, 0) + textLength(JSON.stringify(request.tools ?? []));
  const images = request.messages.some((m) => Array.isArray(m.content) && m.content.some((part) => part.type === "image_url" || part.type === "image"));
  return {
    tools: (request.tools?.length ?? 0) > 0,
    images,
    json: request.response_format?.type === "json_object" || request.response_format?.type === "json_schema",
    estimatedPromptTokens: Math.ceil(chars / 4),
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? null,
  };
}
