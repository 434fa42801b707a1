/** Adapters by kind. Adding a provider kind is adding a folder and a line here. */
import type { AdapterKind } from "../../catalog/catalog-schema.ts";
import { openAiAdapter } from "./openai/openai-adapter.ts";
import type { ProviderAdapter } from "./types.ts";

const ADAPTERS: Partial<Record<AdapterKind, ProviderAdapter>> = { openai: openAiAdapter };

export function adapterFor(kind: AdapterKind): ProviderAdapter | null {
  return ADAPTERS[kind] ?? null;
}
