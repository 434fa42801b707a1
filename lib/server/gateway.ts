import "server-only";
/**
 * The gateway core wired to this server: keys from the verifier, the catalog snapshot,
 * credentials from the environment or the encrypted store, one health registry, one pooled transport and
 * one batched generation writer per process.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import { existingProcessSingleton, processSingleton } from "../process-singleton.ts";
import { adoptLoop, startLoop, stopBackgroundLoops } from "./background-loops.ts";
import { getCatalogSnapshot } from "../catalog/catalog-cache.ts";
import { createGenerationWriter, DEFAULT_MAX_QUEUED, type GenerationQueueStats, type GenerationWriter } from "../activity/generation-writer.ts";
import { createLedgerBilling, leaseOptionsFromEnv, type BillingStats, type LedgerBilling } from "../billing/ledger-billing.ts";
import { purgeOldActivity, retentionPolicy } from "../activity/retention.ts";
import { configuredActivityThread, createActivityStore } from "../activity/activity-store.ts";
import { getDb, SQLITE_BUSY_TIMEOUT_MS } from "../db/client.ts";
import { resolveDatabaseTarget } from "../db/database-url.ts";
import { createProcessSqliteWriter, type SqliteWriteWorker } from "../db/sqlite-write-worker.ts";
import { createIdempotencyStore } from "../idempotency/idempotency-store.ts";
import { createCountTokensHandler } from "../gateway/count-tokens-handler.ts";
import { createTokenCountWorker } from "../gateway/tokens/token-count-worker.ts";
import { createGenerationHandler } from "../gateway/generation-handler.ts";
import { DEFAULT_STREAM_CHECKPOINT_MS } from "../gateway/stream-checkpoint.ts";
import { chatSurface } from "../gateway/surfaces/chat-surface.ts";
import { embeddingsSurface } from "../gateway/surfaces/embeddings-surface.ts";
import { messagesSurface } from "../gateway/surfaces/messages-surface.ts";
import { responsesSurface } from "../gateway/surfaces/responses-surface.ts";
import { geminiSurface } from "../gateway/surfaces/gemini-surface.ts";
import { geminiCountTokens } from "../gateway/surfaces/gemini-count-tokens.ts";
import { GatewayError } from "../gateway/errors.ts";
import { googleErrorAnswer } from "../gateway/protocols/google-gemini/errors.ts";
import { isServedGeminiMethod, parseGeminiPath } from "../gateway/protocols/google-gemini/gemini-path.ts";
import { EndpointHealth } from "../gateway/health/endpoint-health.ts";
import { RequestDrain } from "../gateway/request-drain.ts";
import { startStatsSync } from "../gateway/health/stats-sync.ts";
import { startHealthProbes } from "../gateway/health/health-probes.ts";
import { cachedHealthProbeSettings, cachedRateLimitSettings } from "../changes/cached-settings.ts";
import { stopChangeFeed } from "../changes/server-change-feed.ts";
import { createRateCounterFromEnv } from "../rate-counters/flexible-rate-counter.ts";
import { createEndpointStatsStore } from "../endpoint-stats/endpoint-stats-store.ts";
import type { Answer, Exchange } from "../gateway/exchange.ts";
import type { GatewayConfig } from "../gateway/ports/gateway-deps.ts";
import type { UpstreamTransport } from "../gateway/transport/transport.ts";
import { createUndiciTransport, DEFAULT_MAX_CONNECTIONS } from "../gateway/transport/undici-transport.ts";
import { authenticateRequest, onKeyChanges } from "../keys/key-auth.ts";
import { checkBalanceAlerts, postAlert } from "../organizations/balance-alerts.ts";
import { webhookPolicy } from "../organizations/webhook-policy.ts";
import { createResponseStore, responseRetentionDays, type ResponseStoreService } from "../responses/response-store.ts";
import { credentialForProvider } from "../provider-config/credential-store.ts";
import { blockedAddressReason, privateUpstreamsAllowed } from "../provider-config/url-policy.ts";
import { currentInstance, startInstanceLiveness, stopInstanceLiveness } from "./instance-liveness.ts";
import { webDoor } from "./web-door.ts";

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
  const { drain, writer, statsSync, billing, sqliteWriter, storedResponses } = getGateway();
  const graceMs = numberFromEnv("SHUTDOWN_GRACE_MS", 30_000);
  console.log(`switchyard: ${signal}: finishing ${drain.inFlight} request(s) in flight (up to ${graceMs} ms)`);
  stopBackgroundLoops();
  if (!(await drain.drain(graceMs))) console.error(`switchyard: ${drain.inFlight} request(s) still running after ${graceMs} ms; stopping anyway`);
  // Settlements first: the writer marks their reservations recorded. Then leases go back before this instance retires.
  await billing.stop().catch((error: Error) => console.error(`switchyard: writing the last settlements and returning balance leases failed: ${error.message}`));
  await writer.stop().catch((error: Error) => console.error(`switchyard: writing the last activity records failed: ${error.message}`));
  await storedResponses.flush();
  // The worker both wrote through ends once their last transactions are answered.
  await sqliteWriter?.close();
  await statsSync.stop();
  await stopInstanceLiveness();
  await stopChangeFeed();
}

type Handler = (exchange: Exchange) => Promise<Answer>;
type GatewayState = {
  chat: Handler;
  messages: Handler;
  responses: Handler;
  embeddings: Handler;
  countTokens: Handler;
  gemini: Handler;
  geminiCountTokens: Handler;
  health: EndpointHealth;
  transport: UpstreamTransport;
  writer: GenerationWriter;
  drain: RequestDrain;
  statsSync: ReturnType<typeof startStatsSync>;
  billing: LedgerBilling;
  sqliteWriter: SqliteWriteWorker | null;
  storedResponses: ResponseStoreService;
};

export function getGateway(): GatewayState {
  return processSingleton<GatewayState>("switchyardGateway", () => {
    const health = new EndpointHealth();
    const statsSync = startStatsSync(health, createEndpointStatsStore(getDb()), {
      writer: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      retentionDays: numberFromEnv("STATS_RETENTION_DAYS", 7),
    });
    const drain = new RequestDrain();
    const target = resolveDatabaseTarget(process.env.DATABASE_URL);
    // SQLite: one worker thread with its own connection writes the activity batches and the
    // settlement batches, so neither stalls the serving thread (SQLITE_WRITE_WORKER=off keeps them here).
    const sqliteWriter = createProcessSqliteWriter(target, { busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS });
    const writer = createGenerationWriter(getDb(), {
      flushIntervalMs: numberFromEnv("ACTIVITY_FLUSH_MS", 200),
      maxQueued: activityQueueLimit(),
      store: createActivityStore(getDb(), target, { busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS, worker: sqliteWriter }),
    });
    const billing = createLedgerBilling(getDb(), currentInstance(), { leases: leaseOptionsFromEnv(), sqliteWriter });
    // A key's (or its member's) limits changed somewhere: money leased under the old limits goes back.
    onKeyChanges(
      (keyIds) =>
        void billing.limitsChanged(keyIds).catch((error: Error) => console.error(`billing: giving back leases after a limit change failed: ${error.message}`)),
    );
    startInstanceLiveness();
    const storedResponses = createResponseStore(getDb(), { retentionDays: responseRetentionDays() });
    // Start-up purges once (scripts/prepare.ts); a long-running server purges daily.
    startLoop("retention: purging old activity", 24 * 3_600_000, () => purgeOldActivity(getDb(), retentionPolicy()));
    startLoop("retention: purging expired stored responses", 24 * 3_600_000, () => storedResponses.purgeExpired());
    const idempotency = createIdempotencyStore(getDb());
    // Idempotency-Key records live 24 hours; expired ones are also taken over when their key comes back.
    startLoop("idempotency: purging expired keys", 3_600_000, () => idempotency.purgeExpired());
    // Organizations' balance alerts: each crossing below a threshold is told once (one instance claims it).
    startLoop("organizations: balance alerts", numberFromEnv("BALANCE_ALERT_CHECK_MS", 30_000), () =>
      checkBalanceAlerts(getDb(), { send: postAlert, policy: webhookPolicy() }),
    );
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
      rateLimits: { counter: createRateCounterFromEnv(), settings: cachedRateLimitSettings },
      idempotency,
      config: gatewayConfig(),
      drain,
      tokenCounter: createTokenCountWorker(),
      responses: storedResponses,
    };
    // Off unless an admin turned probes on (Admin → Health probes); each check reads the cached setting.
    const probes = startHealthProbes({
      catalog: getCatalogSnapshot,
      settings: cachedHealthProbeSettings,
      credentialFor: credentialForProvider,
      transport: deps.transport,
      health,
      checkEveryMs: numberFromEnv("HEALTH_PROBE_CHECK_MS", 15_000),
    });
    adoptLoop("health probes", probes.stop);
    return {
      chat: createGenerationHandler(chatSurface, deps),
      messages: createGenerationHandler(messagesSurface, deps),
      responses: createGenerationHandler(responsesSurface, deps),
      embeddings: createGenerationHandler(embeddingsSurface, deps),
      countTokens: createCountTokensHandler(deps),
      gemini: createGenerationHandler(geminiSurface, deps),
      geminiCountTokens: createCountTokensHandler(deps, geminiCountTokens),
      health,
      transport: deps.transport,
      writer,
      drain,
      statsSync,
      billing,
      sqliteWriter,
      storedResponses,
    };
  });
}

/** Activity records that may wait for the database (ACTIVITY_QUEUE_LIMIT); past it, new ones are dropped and counted. */
function activityQueueLimit(): number {
  return numberFromEnv("ACTIVITY_QUEUE_LIMIT", DEFAULT_MAX_QUEUED);
}

/** The activity queue for /api/health (empty until this process has served its first generation). */
export function generationQueueStats(): GenerationQueueStats {
  return (
    existingProcessSingleton<GatewayState>("switchyardGateway")?.writer.stats() ?? {
      queued: 0,
      limit: activityQueueLimit(),
      parked: 0,
      dropped: 0,
      databaseWritable: true,
      via: configuredActivityThread(resolveDatabaseTarget(process.env.DATABASE_URL)),
      offThreadBatches: 0,
    }
  );
}

/** Billing figures for /api/health (nothing until this process has served its first generation). */
export function billingStats(): BillingStats | null {
  return existingProcessSingleton<GatewayState>("switchyardGateway")?.billing.stats() ?? null;
}

/** The core's handlers, for either door (the gateway is built on the first call). */
export const gatewayHandlers = {
  chat: (exchange: Exchange) => getGateway().chat(exchange),
  messages: (exchange: Exchange) => getGateway().messages(exchange),
  responses: (exchange: Exchange) => getGateway().responses(exchange),
  embeddings: (exchange: Exchange) => getGateway().embeddings(exchange),
  countTokens: (exchange: Exchange) => getGateway().countTokens(exchange),
  gemini: handleGeminiModelMethod,
};

/**
 * POST on a Gemini model path: the method after the colon picks the handler. A path that
 * names no model or a method this gateway does not serve is a 404 in Google's shape before
 * anything else is done.
 */
function handleGeminiModelMethod(exchange: Exchange): Promise<Answer> {
  const named = parseGeminiPath(exchange.path);
  if (!named || !isServedGeminiMethod(named.method)) {
    const what = named
      ? `Method ${named.method ?? "(none)"} on ${named.model.slice(0, 120)} is not served: POST …/models/{model}:generateContent, :streamGenerateContent or :countTokens`
      : `Unknown API path ${exchange.path.slice(0, 200)}`;
    return Promise.resolve(googleErrorAnswer(new GatewayError(404, "not_found", what)));
  }
  return named.method === "countTokens" ? getGateway().geminiCountTokens(exchange) : getGateway().gemini(exchange);
}

/** The route handlers (app/api/**): the same handlers through the Web door. */
export const handleChatCompletion = webDoor(gatewayHandlers.chat);
export const handleMessages = webDoor(gatewayHandlers.messages);
export const handleResponses = webDoor(gatewayHandlers.responses);
export const handleEmbeddings = webDoor(gatewayHandlers.embeddings);
export const handleCountTokens = webDoor(gatewayHandlers.countTokens);
export const handleGeminiModelPost = webDoor(gatewayHandlers.gemini);
