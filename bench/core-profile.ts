/**
 * Profiles the gateway core alone. A child process serves the core (the chat surface's
 * generation handler) on a bare `node:http` server, wired like
 * tests/support/in-process-gateway.ts: a real SQLite database (ledger billing, the batched
 * activity writer, the idempotency store), the in-memory rate counter, the undici transport.
 * This process runs the fake upstream (zero delay) and the load (undici), so neither
 * shows in the child's CPU time or profile.
 *
 * Per phase (JSON c=16, stream c=16, the 150 KB prompt at c=4, each after a warm-up) it
 * records the server's CPU time per call (from /proc), latency p50 (and for the large
 * prompt, p50 added over calling the fake directly), and a CPU profile (the inspector's
 * Profiler, the same data `node --cpu-prof` writes) summed by part and function.
 *
 *   npx tsx bench/core-profile.ts [--requests 3000] [--billing ledger|leases|none] [--phases json,stream,large-150k] [--out DIR] [--top 25]
 *
 * `--billing none` answers every hold yes without a database, to see the core on its own.
 * Authentication is a fixed principal (the key cache is not the core's); the door is a
 * minimal node:http ↔ Request/Response bridge and shows in the profile as the harness.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { request } from "undici";
import { startFakeUpstream } from "../fake-upstream/server.ts";
import { createGenerationWriter } from "../lib/activity/generation-writer.ts";
import { createUser } from "../lib/auth/user-service.ts";
import { credit } from "../lib/billing/ledger.ts";
import { createLedgerBilling } from "../lib/billing/ledger-billing.ts";
import { registerBoot } from "../lib/billing/instance-registry.ts";
import { catalogSchema } from "../lib/catalog/catalog-schema.ts";
import { loadCatalogSnapshot } from "../lib/catalog/catalog-snapshot.ts";
import { syncCatalog } from "../lib/catalog/sync-catalog.ts";
import { createDb } from "../lib/db/client.ts";
import { applyMigrations } from "../lib/db/migrate.ts";
import type { BillingPort } from "../lib/gateway/ports/billing.ts";
import { createGenerationHandler } from "../lib/gateway/generation-handler.ts";
import { openAiErrorAnswer } from "../lib/gateway/protocols/openai-chat/errors.ts";
import { EndpointHealth } from "../lib/gateway/health/endpoint-health.ts";
import type { GatewayDeps } from "../lib/gateway/ports/gateway-deps.ts";
import { testPrincipal } from "../lib/gateway/testing/fake-ports.ts";
import { chatSurface } from "../lib/gateway/surfaces/chat-surface.ts";
import { createUndiciTransport } from "../lib/gateway/transport/undici-transport.ts";
import { createIdempotencyStore } from "../lib/idempotency/idempotency-store.ts";
import { createApiKeyInputSchema } from "../lib/keys/api-key-input.ts";
import { createApiKey } from "../lib/keys/api-key-service.ts";
import { createMemoryRateCounter } from "../lib/rate-counters/flexible-rate-counter.ts";
import { nodeDoor } from "../lib/server/node-door.ts";
import { formatSummary, summarizeProfile, type CpuProfile } from "./cpu-profile-summary.ts";
import { makeAgent, runCell, summarize, type RequestShape, type Target } from "./load.ts";
import { treeCpuMs } from "./proc-stats.ts";

const MODEL = "bench/echo";
const FAKE_PROVIDER = "core-profile";
type BillingMode = "ledger" | "leases" | "none";

// ---------------------------------------------------------------- the server (child)

const noBilling: BillingPort = {
  reserve: async () => ({ ok: true }),
  settle: async () => ({ settled: true }),
  checkpoint: async () => undefined,
  available: async () => 10n ** 15n,
};

async function serve(fakeUrl: string, billingMode: BillingMode): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-core-profile-"));
  const filePath = path.join(dir, "db.sqlite");
  const target = { kind: "sqlite" as const, url: `file:${filePath}`, filePath };
  await applyMigrations(target);
  const db = createDb(target);
  const price = { prompt: [{ value: 1, unit: "perMTokens", currency: "USD" }], completion: [{ value: 2, unit: "perMTokens", currency: "USD" }] };
  await syncCatalog(
    db,
    catalogSchema.parse({
      providers: [{ slug: "bench", name: "Bench", adapter: "openai", baseUrl: `${fakeUrl}/p/${FAKE_PROVIDER}/v1`, apiKeyEnv: "BENCH_UPSTREAM_API_KEY" }],
      models: [
        {
          id: MODEL,
          name: MODEL,
          contextLength: 200_000,
          capabilities: { tools: true, json: true },
          endpoints: [{ provider: "bench", name: "bench_ep", upstreamModel: "echo", pricings: price }],
        },
      ],
    }),
  );
  const snapshot = await loadCatalogSnapshot(db);
  const user = await createUser(db, { email: "core-profile@example.com", password: "long enough bench password" });
  await credit(db, { userId: user.id, kind: "adjustment", amountNanoUsd: 10n ** 15n, idempotencyKey: `bench:${user.id}`, reason: "bench" });
  await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "bench" }), new Set([MODEL]));
  const keyRow = await db.apiKey.findFirstOrThrow({ where: { userId: user.id } });
  // A member's key with no limits: the same principal the in-process pipeline tests use.
  const principal = testPrincipal({ keyId: keyRow.id, keyName: keyRow.name, userId: user.id });
  const identity = { instanceId: "core-profile", bootId: randomBytes(8).toString("hex") };
  await registerBoot(db, identity);
  const writer = createGenerationWriter(db);
  const billing = billingMode === "none" ? noBilling : createLedgerBilling(db, identity, { leases: billingMode === "leases" ? {} : false });
  const deps: GatewayDeps = {
    authenticate: async () => principal,
    catalog: async () => snapshot,
    credentialFor: () => "bench-upstream-key",
    health: new EndpointHealth(),
    transport: createUndiciTransport({ connectTimeoutMs: 2_000, idleTimeoutMs: 30_000 }),
    sink: writer,
    billing,
    idempotency: createIdempotencyStore(db),
    rateLimits: { counter: createMemoryRateCounter(), settings: async () => ({ account: { rpm: null, tpm: null }, families: [] }) },
    config: { maxRequestBytes: 4 * 1024 * 1024, firstTokenTimeoutMs: 10_000, keepAliveIntervalMs: 10_000 },
  };
  // The production door (lib/server/node-door.ts), as scripts/serve.mjs uses it.
  const chatDoor = nodeDoor(createGenerationHandler(chatSurface, deps), (error) => openAiErrorAnswer(error));
  const inspector = new Session();
  inspector.connect();
  await inspector.post("Profiler.enable");
  await inspector.post("Profiler.setSamplingInterval", { interval: 200 });

  const server = createServer((req, res) => {
    if (req.url === "/v1/chat/completions") return chatDoor(req, res);
    if (req.url === "/_profile/start") return void inspector.post("Profiler.start").then(() => res.end("ok"));
    if (req.url?.startsWith("/_profile/stop")) {
      const file = new URL(req.url, "http://x").searchParams.get("file")!;
      return void inspector.post("Profiler.stop").then(({ profile }) => {
        writeFileSync(file, JSON.stringify(profile));
        res.end("ok");
      });
    }
    res.statusCode = 404;
    res.end();
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, "127.0.0.1", () => {
    const address = server.address() as { port: number };
    console.log(`listening http://127.0.0.1:${address.port}`);
  });
  process.on("SIGTERM", () => {
    server.close();
    void (async () => {
      if ("stop" in billing) await (billing as { stop(): Promise<void> }).stop();
      await writer.stop();
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    })();
  });
}

// ---------------------------------------------------------------- the driver (parent)

type Phase = { name: string; shape: RequestShape; concurrency: number; requests: number };

async function startServer(fakeUrl: string, billing: BillingMode): Promise<{ pid: number; url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, "--serve", "--fake", fakeUrl, "--billing", billing], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (data: Buffer) => {
      out += data.toString();
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening: ${out}`)));
  });
  return {
    pid: child.pid!,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: "boolean", default: false },
      fake: { type: "string" },
      billing: { type: "string", default: "leases" },
      requests: { type: "string", default: "3000" },
      out: { type: "string", default: path.join(os.tmpdir(), "switchyard-core-profile") },
      top: { type: "string", default: "25" },
      phases: { type: "string", default: "json,stream,large-150k" },
    },
  });
  const billing = values.billing as BillingMode;
  if (!["ledger", "leases", "none"].includes(billing)) throw new Error("--billing is ledger, leases or none");
  if (values.serve) return serve(values.fake!, billing);

  const requests = Number(values.requests);
  mkdirSync(values.out, { recursive: true });
  const fake = await startFakeUpstream({ defaults: { outputTokens: 20 } });
  const server = await startServer(fake.url, billing);
  const agent = makeAgent(64);
  const gateway: Target = { name: "core", url: `${server.url}/v1/chat/completions`, headers: {}, model: MODEL, agent };
  const direct: Target = {
    name: "direct",
    url: `${fake.url}/p/${FAKE_PROVIDER}/v1/chat/completions`,
    headers: { authorization: "Bearer k" },
    model: "echo",
    agent: makeAgent(64),
  };
  const phases: Phase[] = [
    { name: "json", shape: { stream: false, prompt: "short", maxTokens: 20 }, concurrency: 16, requests },
    { name: "stream", shape: { stream: true, prompt: "short", maxTokens: 20 }, concurrency: 16, requests },
    { name: "large-150k", shape: { stream: false, prompt: "large", maxTokens: 20 }, concurrency: 4, requests: Math.max(200, Math.floor(requests / 6)) },
  ];
  const results: Record<string, unknown>[] = [];
  const chosen = new Set(values.phases.split(","));
  try {
    for (const phase of phases.filter((p) => chosen.has(p.name))) {
      const cell = { ...phase.shape, concurrency: phase.concurrency, maxMs: 120_000, requestTimeoutMs: 30_000 };
      await runCell(gateway, { ...cell, requests: Math.min(400, phase.requests) }); // warm-up: JIT, pools, caches
      const file = path.join(values.out, `${phase.name}-${billing}.cpuprofile`);
      await request(`${server.url}/_profile/start`, { dispatcher: agent }).then((r) => r.body.text());
      const cpuBefore = treeCpuMs(server.pid);
      const samples = await runCell(gateway, { ...cell, requests: phase.requests });
      const cpuMs = treeCpuMs(server.pid) - cpuBefore;
      await request(`${server.url}/_profile/stop?file=${encodeURIComponent(file)}`, { dispatcher: agent }).then((r) => r.body.text());
      const calls = samples.latenciesMs.length;
      const latency = summarize(samples.latenciesMs);
      let addedP50: number | null = null;
      if (phase.name === "large-150k") {
        const baseline = await runCell(direct, { ...cell, requests: phase.requests });
        addedP50 = latency.p50 - summarize(baseline.latenciesMs).p50;
      }
      const summary = summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
      const coreMs = summary.byPart.filter((p) => p.part.startsWith("core:")).reduce((sum, p) => sum + p.ms, 0);
      const result = {
        phase: phase.name,
        billing,
        calls,
        errors: samples.errors,
        errorSamples: samples.errorSamples,
        rps: Math.round((calls / samples.elapsedMs) * 1000),
        cpuMsPerCall: Number((cpuMs / Math.max(1, calls)).toFixed(3)),
        coreSelfMsPerCall: Number((coreMs / Math.max(1, calls)).toFixed(3)),
        p50Ms: Number(latency.p50.toFixed(2)),
        addedP50Ms: addedP50 === null ? null : Number(addedP50.toFixed(2)),
        profile: file,
      };
      results.push(result);
      console.log(`\n### ${phase.name} (billing ${billing}, c=${phase.concurrency}): ${JSON.stringify(result)}`);
      console.log(formatSummary(summary, Number(values.top), calls));
    }
  } finally {
    await server.stop();
    await fake.close();
    await agent.close();
    await direct.agent.close();
  }
  writeFileSync(path.join(values.out, `results-${billing}.json`), JSON.stringify(results, null, 2));
  console.log(`\n${JSON.stringify(results)}`);
}

await main();
