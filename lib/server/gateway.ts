import "server-only";
/**
 * The gateway core wired to this server: keys from the verifier, the catalog snapshot,
 * credentials from the environment or the encrypted store, one health registry, one pooled transport and
 * one batched generation writer per process.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import { getCatalogSnapshot } from "../catalog/catalog-cache.ts";
import { createGenerationWriter, DEFAULT_MAX_QUEUED, type GenerationQueueStats, type GenerationWriter } from "../activity/generation-writer.ts";
import { createLedgerBilling } from "../billing/ledger-billing.ts";
import { purgeOldActivity, retentionPolicy } from "../activity/retention.ts";
import { getDb } from "../db/client.ts";
import { createIdempotencyStore } from "../idempotency/idempotency-store.ts";
import { createCountTokensHandler } from "../gateway/count-tokens-handler.ts";
import { createGenerationHandler } from "../gateway/generation-handler.ts";
import { DEFAULT_STREAM_CHECKPOINT_MS } from "../gateway/stream-checkpoint.ts";
import { chatSurface } from "../gateway/surfaces/chat-surface.ts";
import { messagesSurface } from "../gateway/surfaces/messages-surface.ts";
import { EndpointHealth } from "../gateway/health/endpoint-health.ts";
import { RequestDrain } from "../gateway/request-drain.ts";
import { startStatsSync } from "../gateway/health/stats-sync.ts";
import { startHealthProbes } from "../gateway/health/health-probes.ts";
import { readHealthProbeSettings } from "../settings/health-probe-settings.ts";
import { cachedRateLimitSettings } from "../settings/rate-limit-settings.ts";
import { createRateCounterFromEnv } from "../ratelimit/flexible-rate-counter.ts";
import { createEndpointStatsStore } from "../stats/endpoint-stats-store.ts";
import type { GatewayConfig } from "../gateway/ports.ts";
import type { UpstreamTransport } from "../gateway/transport/transport.ts";
import { createUndiciTransport, DEFAULT_MAX_CONNECTIONS } from "../gateway/transport/undici-transport.ts";
import { authenticateRequest } from "../keys/key-auth.ts";
import { credentialForProvider } from "../providers/credential-store.ts";
import { blockedAddressReason, privateUpstreamsAllowed } from "../providers/url-policy.ts";
import { currentInstance, startInstanceLiveness, stopInstanceLiveness } from "./instance-liveness.ts";

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function gatewayConfig(): GatewayConfig {
  return {
    maxRequestBytes: numberFromEnv("MAX_REQUEST_BYTES", 10 * 1024 * 1024),
    firstTokenTimeoutMs: numberFromEnv("FIRST_TOKEN_TIMEOUT_MS", 60_000),
    keepAliveIntervalMs: numberFromEnv("STREAM_KEEPALIVE_MS", 10_000),
    contentMaxBytes: numberFromEnv("CONTENT_MAX_BYTES", 256 * 1024),
    streamCheckpointMs: numberFromEnv("STREAM_CHECKPOINT_MS", DEFAULT_STREAM_CHECKPOINT_MS),
    countTokensMaxBytes: numberFromEnv("COUNT_TOKENS_MAX_BYTES", 1024 * 1024),
    idempotencyMaxBytes: numberFromEnv("IDEMPOTENCY_MAX_BYTES", 1024 * 1024),
  };
}

/**
 * Console-entered providers are checked again when connecting (DNS rebinding), unless the
 * operator allows private upstreams; catalog-file providers are operator configuration.
 */
function destinationGuard() {
  return privateUpstreamsAllowed() ? undefined : { blockedReason: blockedAddressReason };
}

/**
 * A graceful stop (instrumentation.ts calls it on SIGTERM/SIGINT): refuse new
 * generations (503, retry elsewhere), let the ones in flight finish, streams included,
 * for up to SHUTDOWN_GRACE_MS (default 30 s), then write every queued record.
 */
export async function drainGateway(signal: string): Promise<void> {
  const { drain, writer, statsSync } = getGateway();
  const graceMs = numberFromEnv("SHUTDOWN_GRACE_MS", 30_000);
  console.log(`switchyard: ${signal}: finishing ${drain.inFlight} request(s) in flight (up to ${graceMs} ms)`);
  if (!(await drain.drain(graceMs))) console.error(`switchyard: ${drain.inFlight} request(s) still running after ${graceMs} ms; stopping anyway`);
  await writer.stop().catch((error: Error) => console.error(`switchyard: writing the last activity records failed: ${error.message}`));
  await statsSync.stop();
  await stopInstanceLiveness();
}

type Handler = (request: Request) => Promise<Response>;
type GatewayState = { chat: Handler; messages: Handler; countTokens: Handler; health: EndpointHealth; transport: UpstreamTransport; writer: GenerationWriter; drain: RequestDrain; statsSync: ReturnType<typeof startStatsSync> };
const holder = globalThis as unknown as { switchyardGateway?: GatewayState };

export function getGateway(): GatewayState {
  if (!holder.switchyardGateway) {
    const health = new EndpointHealth();
    const statsSync = startStatsSync(health, createEndpointStatsStore(getDb()), { writer: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, retentionDays: numberFromEnv("STATS_RETENTION_DAYS", 7) });
    const drain = new RequestDrain();
    const writer = createGenerationWriter(getDb(), { flushIntervalMs: numberFromEnv("ACTIVITY_FLUSH_MS", 200), maxQueued: activityQueueLimit() });
    const billing = createLedgerBilling(getDb(), currentInstance());
    startInstanceLiveness();
    // Start-up purges once (scripts/start.ts); a long-running server purges daily.
    setInterval(() => {
      purgeOldActivity(getDb(), retentionPolicy()).catch((error: Error) => console.error(`retention: purge failed: ${error.message}`));
    }, 24 * 3_600_000).unref();
    const idempotency = createIdempotencyStore(getDb());
    // Idempotency-Key records live 24 hours; expired ones are also taken over when their key comes back.
    setInterval(() => {
      idempotency.purgeExpired().catch((error: Error) => console.error(`idempotency: purging expired keys failed: ${error.message}`));
    }, 3_600_000).unref();
    const deps = {
      authenticate: authenticateRequest,
      catalog: getCatalogSnapshot,
      credentialFor: credentialForProvider,
      health,
      transport: createUndiciTransport({
        connectTimeoutMs: numberFromEnv("CONNECT_TIMEOUT_MS", 10_000),
        idleTimeoutMs: numberFromEnv("STREAM_IDLE_TIMEOUT_MS", 300_000),
        maxConnections: Math.floor(numberFromEnv("UPSTREAM_MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS)),
        allowH2: process.env.UPSTREAM_HTTP2?.trim() === "true",
        guard: destinationGuard(),
      }),
      sink: writer,
      billing,
      rateLimits: { counter: createRateCounterFromEnv(), settings: cachedRateLimitSettings(getDb()) },
      idempotency,
      config: gatewayConfig(),
      drain,
    };
    // Off unless an admin turned probes on (Admin → Health probes); the setting is re-read every check.
    startHealthProbes({ catalog: getCatalogSnapshot, settings: () => readHealthProbeSettings(getDb()), credentialFor: credentialForProvider, transport: deps.transport, health, checkEveryMs: numberFromEnv("HEALTH_PROBE_CHECK_MS", 15_000) });
    holder.switchyardGateway = { chat: createGenerationHandler(chatSurface, deps), messages: createGenerationHandler(messagesSurface, deps), countTokens: createCountTokensHandler(deps), health, transport: deps.transport, writer, drain, statsSync };
  }
  return holder.switchyardGateway;
}

/** Activity records that may wait for the database (ACTIVITY_QUEUE_LIMIT); past it, new ones are dropped and counted. */
function activityQueueLimit(): number {
  return numberFromEnv("ACTIVITY_QUEUE_LIMIT", DEFAULT_MAX_QUEUED);
}

/** The activity queue for /api/health (empty until this process has served its first generation). */
export function generationQueueStats(): GenerationQueueStats {
  return holder.switchyardGateway?.writer.stats() ?? { queued: 0, limit: activityQueueLimit(), parked: 0, dropped: 0, databaseWritable: true };
}

export function handleChatCompletion(request: Request): Promise<Response> {
  return getGateway().chat(request);
}

export function handleMessages(request: Request): Promise<Response> {
  return getGateway().messages(request);
}

export function handleCountTokens(request: Request): Promise<Response> {
  return getGateway().countTokens(request);
}
