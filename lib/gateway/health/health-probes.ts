/**
 * Active health probes: when an admin has turned them on, every enabled endpoint
 * with a credential gets the smallest real request (one output token) every
 * `intervalMinutes`. Results go into the same statistics and circuit breakers as
 * traffic, marked as probes, so a broken provider is found before a user's request
 * is routed to it, and a recovered one is seen to recover.
 */
import type { CatalogSnapshot, EndpointView, ProviderView } from "../catalog-view/catalog-types.ts";
import { modelKindOf, type ModelKind } from "../catalog-view/model-kind.ts";
import { adapterFor } from "../providers/registry.ts";
import type { UpstreamTransport } from "../transport/transport.ts";
import type { EndpointHealth } from "./endpoint-health.ts";
import { sendOneTokenRequest } from "./one-token-request.ts";

export type ProbeSettings = { enabled: boolean; intervalMinutes: number };

export type ProbeDeps = {
  catalog: () => Promise<CatalogSnapshot>;
  settings: () => Promise<ProbeSettings>;
  credentialFor: (provider: ProviderView) => string | null;
  transport: UpstreamTransport;
  health: EndpointHealth;
  timeoutMs?: number;
  now?: () => number;
};

export type ProbeOutcome = { endpointId: string; ok: boolean; status: number | null; durationMs: number };

const CONCURRENCY = 4;

/** One probe: a one-token, non-streamed request; its whole duration stands in for TTFT. */
export async function probeEndpoint(endpoint: EndpointView, deps: ProbeDeps, kind: ModelKind = "chat"): Promise<ProbeOutcome | null> {
  const credential = deps.credentialFor(endpoint.provider);
  const adapter = adapterFor(endpoint.provider.adapter);
  if (!credential || !adapter) return null;
  // An embedding model is probed with an embeddings call; a kind without one is never routed embeddings.
  if (kind === "embedding" && !adapter.buildEmbeddingsRequest) return null;
  const result = await sendOneTokenRequest(endpoint, credential, deps.transport, { timeoutMs: deps.timeoutMs, now: deps.now, kind });
  const outcome = { endpointId: endpoint.id, ok: result.ok, status: result.status, durationMs: result.durationMs };
  // A 400/422 says our probe body is unsuitable for this upstream, not that it is down.
  if (result.status === 400 || result.status === 422) return { ...outcome, ok: false };
  if (result.ok) deps.health.recordSuccess(endpoint.id, { ttftMs: result.durationMs, probe: true });
  else deps.health.recordFailure(endpoint.id, { probe: true });
  return outcome;
}

/** Probes every enabled endpoint of every enabled model once, a few at a time. */
export async function runProbeRound(deps: ProbeDeps): Promise<ProbeOutcome[]> {
  const snapshot = await deps.catalog();
  const endpoints = snapshot.models
    .filter((m) => m.enabled)
    .flatMap((m) => m.endpoints.filter((e) => e.enabled && e.provider.enabled).map((endpoint) => ({ endpoint, kind: modelKindOf(m) })));
  const outcomes: ProbeOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < endpoints.length) {
      const { endpoint, kind } = endpoints[next++];
      const outcome = await probeEndpoint(endpoint, deps, kind);
      if (outcome) outcomes.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return outcomes;
}

/** Checks the setting every `checkEveryMs` and runs a round when one is due. */
export function startHealthProbes(deps: ProbeDeps & { checkEveryMs?: number; onError?: (error: Error) => void }) {
  const now = deps.now ?? Date.now;
  const onError = deps.onError ?? ((error: Error) => console.error(`health probes: ${error.message}`));
  let lastRound = 0;
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const settings = await deps.settings();
      if (settings.enabled && now() - lastRound >= settings.intervalMinutes * 60_000) {
        lastRound = now();
        await runProbeRound(deps);
      }
    } catch (error) {
      onError(error as Error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void check(), deps.checkEveryMs ?? 15_000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
