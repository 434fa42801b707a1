/** The wire protocols an upstream provider speaks; one adapter per kind under lib/gateway/providers. */
export const ADAPTER_KINDS = ["openai", "anthropic", "responses", "gemini"] as const;
export type AdapterKind = (typeof ADAPTER_KINDS)[number];
