/**
 * The attempt loop over the real undici transport and the fake upstream: a saturated
 * connection pool fails over to the next candidate, a request queued for a connection
 * times out within the first-token deadline, and a thousand concurrent streams to one
 * provider each get their first event without waiting for a connection.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "@/fake-upstream/server";
import type { EndpointView, ModelView, ProviderView } from "./catalog-view/catalog-types";
import { runAttempts, type AttemptContext, type AttemptResult } from "./attempt-loop";
import { type Candidate } from "./routing/candidate";
import { EndpointHealth } from "./health/endpoint-health";
import type { AttemptRecord } from "./ports/gateway-deps";
import type { UpstreamTransport } from "./transport/transport";
import { createUndiciTransport } from "./transport/undici-transport";

let fake: FakeUpstream;
// Another origin: connection pools are per origin.
let otherFake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream({ defaults: { outputTokens: 3 } });
  otherFake = await startFakeUpstream({ defaults: { outputTokens: 3 } });
});
afterAll(async () => {
  await fake?.close();
  await otherFake?.close();
});

function candidate(slug: string, knobs: string, upstream = fake): Candidate {
  const provider: ProviderView = {
    id: `p_${slug}`,
    slug,
    name: slug,
    adapter: "openai",
    baseUrl: `${upstream.url}/p/${slug}${knobs}/v1`,
    apiKeyEnv: "KEY",
    enabled: true,
  };
  const endpoint: EndpointView = {
    id: `e_${slug}`,
    slug: `${slug}/ep`,
    name: "ep",
    provider,
    upstreamModel: "fake-model",
    contextLength: 8000,
    maxOutput: null,
    supportedParameters: [],
    enabled: true,
    pricings: { prompt: [{ value: 1, unit: "perMTokens", currency: "USD" }], completion: [{ value: 1, unit: "perMTokens", currency: "USD" }] },
  };
  const model: ModelView = {
    id: "m",
    slug: "t/m",
    vendor: "t",
    displayName: "M",
    description: "",
    inputModalities: ["text"],
    outputModalities: ["text"],
    capabilities: { tools: false, vision: false, reasoning: false, json: false },
    contextLength: 8000,
    maxOutput: null,
    releasedAt: null,
    addedAt: new Date(0),
    enabled: true,
    aliases: [],
    endpoints: [endpoint],
  };
  return { model, endpoint };
}

function context(
  candidates: Candidate[],
  transport: UpstreamTransport,
  options: { health?: EndpointHealth; signal?: AbortSignal; firstTokenTimeoutMs?: number; stream?: boolean } = {},
) {
  const attempts: AttemptRecord[] = [];
  const stream = options.stream ?? true;
  const ctx: AttemptContext = {
    candidates,
    buildBody: () => ({ model: "m", messages: [{ role: "user", content: "hi" }], stream }),
    stream,
    credentialFor: () => "credential",
    transport,
    health: options.health ?? new EndpointHealth(),
    firstTokenTimeoutMs: options.firstTokenTimeoutMs ?? 30_000,
    clientSignal: options.signal ?? new AbortController().signal,
    now: Date.now,
    attempts,
  };
  return { ctx, attempts };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function finish(result: AttemptResult): Promise<void> {
  if (result.kind === "stream") for await (const _event of result.events) void _event;
}

describe("a saturated upstream connection pool", () => {
  let held: Candidate;
  let spare: Candidate;
  const transport = createUndiciTransport({ connectTimeoutMs: 5000, idleTimeoutMs: 30_000, maxConnections: 2 });
  const holders = new AbortController();
  let holding: Promise<AttemptResult>[] = [];

  beforeAll(async () => {
    held = candidate("held", ";hang");
    spare = candidate("spare", "", otherFake);
    // Two requests the upstream never answers take both connections to its origin.
    holding = [1, 2].map(() => runAttempts(context([held], transport, { signal: holders.signal }).ctx));
    await until(() => (fake.stats().byProvider.held?.inFlight ?? 0) === 2);
  });
  afterAll(async () => {
    holders.abort();
    expect((await Promise.all(holding)).map((r) => r.kind)).toEqual(["aborted", "aborted"]);
  });

  it("fails over to the next candidate at once, recorded as provider_saturated, without counting against the provider's health", async () => {
    const health = new EndpointHealth();
    const { ctx, attempts } = context([held, spare], transport, { health });
    const result = await runAttempts(ctx);
    expect(result.kind).toBe("stream");
    expect(result.kind === "stream" && result.candidate.endpoint.provider.slug).toBe("spare");
    await finish(result);
    expect(attempts.map((a) => [a.providerSlug, a.status, a.errorType])).toEqual([
      ["held", "error", "provider_saturated"],
      ["spare", "success", null],
    ]);
    expect(attempts[0].errorMessage).toMatch(/all 2 connections to .* are busy/);
    expect(fake.stats().byProvider.held.calls).toBe(2);
    expect(health.windows("e_held").hour.failures).toBe(0);
  });

  it("queues the last candidate for a connection, and the first-token deadline covers that wait", async () => {
    const { ctx, attempts } = context([held], transport, { firstTokenTimeoutMs: 300 });
    const result = await runAttempts(ctx);
    expect(result).toMatchObject({ kind: "failed", allTimeouts: true, lastStatus: null });
    expect(attempts).toMatchObject([{ providerSlug: "held", status: "timeout", errorType: "provider_timeout" }]);
    // It never got a connection: the time went to the queue, not to the upstream.
    expect(fake.stats().byProvider.held.calls).toBe(2);
  });
});

describe("the default pool under load", () => {
  it("gives 1,200 concurrent streams to one provider their first event, all connected at once", async () => {
    const streams = 1200;
    const transport = createUndiciTransport({ connectTimeoutMs: 30_000, idleTimeoutMs: 60_000 });
    // A token every 100 s keeps every stream open until all of them have started.
    const slow = candidate("crowd", ";tokensPerSecond=0.01;outputTokens=3");
    const runs = Array.from({ length: streams }, () => context([slow], transport, { firstTokenTimeoutMs: 120_000 }));
    const results = await Promise.all(runs.map((run) => runAttempts(run.ctx)));
    expect(runs.flatMap((run) => run.attempts).filter((a) => a.status !== "success")).toEqual([]);
    expect(results.filter((r) => r.kind === "stream")).toHaveLength(streams);
    // Every stream has its own connection: none waited in the pool's queue for another to end.
    expect(fake.stats().byProvider.crowd.inFlight).toBe(streams);
    await Promise.all(results.map((r) => (r.kind === "stream" ? r.abort() : undefined)));
  }, 180_000);
});
