/**
 * The one interface every upstream kind implements. An adapter knows its provider's
 * URL layout, auth headers and quirks, and which wire protocol it speaks; the core
 * never checks a provider's name.
 */
import type { AdapterKind } from "./adapter-kind.ts";
import type { EndpointView } from "../catalog-view/catalog-types.ts";
import type { SseEvent } from "../sse.ts";

export type WireProtocol = "openai-chat" | "anthropic-messages" | "openai-responses" | "google-gemini";

/** body: a string, or a Buffer when large (json/json-body.ts) */
export type UpstreamRequest = { url: string; headers: Record<string, string>; body: string | Uint8Array };

export type BuildRequestInput = {
  endpoint: EndpointView;
  credential: string;
  /** the request body in the adapter's wire protocol, model not yet replaced */
  body: Record<string, unknown>;
  stream: boolean;
  /** protocol headers the client sent that a same-protocol upstream should receive */
  clientHeaders?: { anthropicVersion?: string; anthropicBeta?: string };
};

export interface ProviderAdapter {
  readonly kind: AdapterKind;
  readonly protocol: WireProtocol;
  /** the smallest request this protocol answers (health probes, the admin's credential test) */
  readonly probeBody: Record<string, unknown>;
  buildRequest(input: BuildRequestInput): UpstreamRequest;
  /** POST …/embeddings, for kinds whose API has one (OpenAI's); absent: the kind serves no embeddings */
  buildEmbeddingsRequest?(input: Omit<BuildRequestInput, "stream" | "clientHeaders">): UpstreamRequest;
  /**
   * The provider's own wire, read: a streamed answer's bytes as events in the adapter's
   * protocol (absent: server-sent events, as all four kinds today stream), and a JSON
   * answer's text as its body (absent: JSON.parse). A provider that streams JSON lines or
   * AWS event-stream frames converts them here, so the relay never changes for it.
   */
  readStream?(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent>;
  readJson?(text: string): Record<string, unknown>;
}
