/**
 * The Chat Completions body the playground sends: the model (with `:provider` for a pin),
 * a routing preference in the gateway's `provider` field, the conversation, and a stream
 * that ends with a usage chunk carrying the cost.
 */
export type RoutingPreference = "default" | "latency" | "price" | "throughput";
export const ROUTING_PREFERENCES: readonly RoutingPreference[] = ["default", "latency", "price", "throughput"];

export type ChatTurn = { role: "user" | "assistant"; content: string };

/** One column's choices: a model, and either a provider pin or a routing preference. */
export type ColumnSettings = { model: string; provider: string; routing: RoutingPreference };

export type PlaygroundChatBody = {
  model: string;
  messages: { role: "system" | "user" | "assistant"; content: string }[];
  stream: true;
  stream_options: { include_usage: true };
  provider?: { routing: { type: "priority"; primary_factor: Exclude<RoutingPreference, "default"> } };
};

export function buildChatRequest(settings: ColumnSettings, systemPrompt: string, turns: readonly ChatTurn[]): PlaygroundChatBody {
  const system = systemPrompt.trim();
  const body: PlaygroundChatBody = {
    model: settings.provider ? `${settings.model}:${settings.provider}` : settings.model,
    messages: [...(system ? [{ role: "system" as const, content: system }] : []), ...turns],
    stream: true,
    stream_options: { include_usage: true },
  };
  // A pin names the one provider; a preference only orders several.
  if (!settings.provider && settings.routing !== "default") body.provider = { routing: { type: "priority", primary_factor: settings.routing } };
  return body;
}

/** What is wrong with the input before anything is sent, or null. */
export function checkPlaygroundInput(models: readonly string[], message: string): string | null {
  if (models.some((model) => !model)) return "Pick a model first.";
  if (!message.trim()) return "Type a message to send.";
  return null;
}
