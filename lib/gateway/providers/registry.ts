/** Adapters by kind. Adding a provider kind is adding a folder and a line here. */
import type { AdapterKind } from "./adapter-kind.ts";
import { anthropicAdapter } from "./anthropic/anthropic-adapter.ts";
import { geminiAdapter } from "./gemini/gemini-adapter.ts";
import { openAiAdapter } from "./openai/openai-adapter.ts";
import { responsesAdapter } from "./responses/responses-adapter.ts";
import type { ProviderAdapter } from "./types.ts";

const ADAPTERS: Record<AdapterKind, ProviderAdapter> = {
  openai: openAiAdapter,
  anthropic: anthropicAdapter,
  responses: responsesAdapter,
  gemini: geminiAdapter,
};

export function adapterFor(kind: AdapterKind): ProviderAdapter | null {
  return ADAPTERS[kind] ?? null;
}
