/** The protocol an upstream speaks, in the names generation records use (ports/gateway-deps.ts WIRE_APIS). */
import type { AdapterKind } from "./adapter-kind.ts";
import type { WireApi } from "../ports/gateway-deps.ts";
import { adapterFor } from "./registry.ts";
import type { WireProtocol } from "./types.ts";

const API_OF_PROTOCOL: Record<WireProtocol, WireApi> = {
  "openai-chat": "chat",
  "anthropic-messages": "messages",
  "openai-responses": "responses",
  "google-gemini": "generate_content",
};

/**
 * What the upstream of `kind` spoke for a call the client made in `clientApi`. Embeddings
 * are never translated between protocols: an embeddings call's upstream speaks embeddings,
 * whatever generation protocol its adapter speaks.
 */
export function upstreamApiOf(clientApi: string, kind: AdapterKind): WireApi | null {
  if (clientApi === "embeddings") return "embeddings";
  const adapter = adapterFor(kind);
  return adapter ? API_OF_PROTOCOL[adapter.protocol] : null;
}
