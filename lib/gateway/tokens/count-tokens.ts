/**
 * Token counts for Anthropic's count_tokens. Counted with the o200k_base encoding
 * (gpt-tokenizer), exact for current OpenAI models; Anthropic's tokenizer is not
 * public, so for Claude and other models the count is an estimate (documented).
 * What is counted is decided by tokenizable-parts.ts; this file holds the tokenizer, so
 * only the count_tokens worker (and tests, and the fallback when it cannot run) load it.
 */
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { tokenizableParts, type CountableRequest, type TokenizableParts } from "./tokenizable-parts.ts";

export function countPartsTokens(parts: TokenizableParts): number {
  let tokens = parts.fixedTokens;
  for (const text of parts.texts) tokens += countTokens(text);
  return tokens;
}

export function countMessagesTokens(request: CountableRequest): number {
  return countPartsTokens(tokenizableParts(request));
}
