/**
 * The smallest real request an endpoint can answer: one output token, not streamed.
 * Health probes and the admin's "Test credential" both use it; a models listing would
 * not do, because some providers list models without checking the key. The upstream's
 * own status and message come back, with the credential and anything key-shaped
 * redacted, so an admin can see why a credential fails without the page leaking it.
 */
import type { EndpointView } from "../catalog-view/catalog-types.ts";
import type { ModelKind } from "../catalog-view/model-kind.ts";
import { adapterFor } from "../providers/registry.ts";
import { redactSecrets } from "../redact.ts";
import { TransportError, type UpstreamTransport } from "../transport/transport.ts";

export type OneTokenResult = { ok: true; status: number; durationMs: number } | { ok: false; status: number | null; durationMs: number; message: string };

const MAX_BODY = 64 * 1024;
const MAX_MESSAGE = 500;

async function readCapped(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > MAX_BODY) break;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The message inside an OpenAI- or Anthropic-shaped error body, else the text itself. */
function upstreamMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const inner = typeof parsed.error === "object" ? parsed.error?.message : (parsed.error ?? parsed.message);
    if (typeof inner === "string" && inner.trim()) return inner;
  } catch {
    // not JSON: the text is the message
  }
  return text.trim() || "(empty body)";
}

/** The embedding model's probe: one short input to the adapter's embeddings endpoint. */
const EMBEDDINGS_PROBE_BODY = { input: "ping" };

/** `kind: "embedding"` probes an embedding model's endpoint through the adapter's embeddings endpoint. */
export async function sendOneTokenRequest(
  endpoint: EndpointView,
  credential: string,
  transport: UpstreamTransport,
  options: { timeoutMs?: number; now?: () => number; kind?: ModelKind } = {},
): Promise<OneTokenResult> {
  const now = options.now ?? Date.now;
  const adapter = adapterFor(endpoint.provider.adapter);
  if (!adapter) return { ok: false, status: null, durationMs: 0, message: `no adapter for kind ${endpoint.provider.adapter}` };
  if (options.kind === "embedding" && !adapter.buildEmbeddingsRequest)
    return { ok: false, status: null, durationMs: 0, message: `the ${adapter.kind} adapter serves no embeddings` };
  const request =
    options.kind === "embedding" && adapter.buildEmbeddingsRequest
      ? adapter.buildEmbeddingsRequest({ endpoint, credential, body: EMBEDDINGS_PROBE_BODY })
      : adapter.buildRequest({ endpoint, credential, stream: false, body: adapter.probeBody });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const started = now();
  const redact = (text: string) => redactSecrets(text, [credential]).slice(0, MAX_MESSAGE);
  try {
    const response = await transport.send(request, {
      signal: controller.signal,
      headersTimeoutMs: timeoutMs,
      checkDestination: endpoint.provider.source === "admin",
    });
    const text = await readCapped(response.body);
    const durationMs = now() - started;
    if (response.status >= 300 && response.status < 400)
      return {
        ok: false,
        status: response.status,
        durationMs,
        message: `the upstream answered with a redirect${response.headers.location ? " (not followed)" : ""}; check the base URL`,
      };
    if (response.status >= 400) return { ok: false, status: response.status, durationMs, message: redact(upstreamMessage(text)) };
    try {
      if (typeof JSON.parse(text) === "object") return { ok: true, status: response.status, durationMs };
    } catch {
      // falls through
    }
    return { ok: false, status: response.status, durationMs, message: "the upstream answered with a body that is not JSON" };
  } catch (error) {
    const message = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : error instanceof TransportError ? error.message : (error as Error).message;
    return { ok: false, status: null, durationMs: now() - started, message: redact(message) };
  } finally {
    clearTimeout(timer);
  }
}
