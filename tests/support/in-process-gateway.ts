/**
 * The gateway core wired in this process to a real database (ledger billing, the batched
 * activity writer) and the fake upstream on loopback, for tests that need many requests
 * quickly (property tests over the ledger). The same ports as lib/server/gateway.ts, minus
 * Next: requests are plain Web Requests handed to the generation handlers.
 *
 * `crash()` imitates a process that dies: streams in flight freeze (their relays never
 * settle or checkpoint again, as in a killed process) and the instance is dropped. A new
 * instance with the same instance id starts as the start script does: it registers its
 * boot and recovers the holds its earlier boots left.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { createGenerationWriter, type GenerationWriter } from "@/lib/activity/generation-writer";
import { registerBoot, type InstanceIdentity } from "@/lib/billing/instance-registry";
import { createLedgerBilling } from "@/lib/billing/ledger-billing";
import { recoverOrphanedHolds } from "@/lib/billing/orphaned-holds";
import { createIdempotencyStore } from "@/lib/idempotency/idempotency-store";
import { loadCatalogSnapshot } from "@/lib/catalog/catalog-snapshot";
import type { CatalogSnapshot } from "@/lib/catalog/catalog-types";
import { createGenerationHandler } from "@/lib/gateway/generation-handler";
import { EndpointHealth } from "@/lib/gateway/health/endpoint-health";
import type { GatewayDeps, GatewayPrincipal } from "@/lib/gateway/ports";
import { RequestDrain } from "@/lib/gateway/request-drain";
import { chatSurface } from "@/lib/gateway/surfaces/chat-surface";
import { messagesSurface } from "@/lib/gateway/surfaces/messages-surface";
import type { UpstreamTransport } from "@/lib/gateway/transport/transport";
import { createUndiciTransport } from "@/lib/gateway/transport/undici-transport";
import { createMemoryRateCounter } from "@/lib/ratelimit/flexible-rate-counter";

type Handler = (request: Request) => Promise<Response>;

export type GatewayInstance = {
  chat: Handler;
  messages: Handler;
  drain: RequestDrain;
  writer: GenerationWriter;
};

/** A transport whose open upstream bodies can all be frozen at once, as if the process died mid-read. */
function freezableTransport(inner: UpstreamTransport) {
  let frozen = false;
  const open = new Set<{ destroy(): void }>();
  const transport: UpstreamTransport = {
    async send(upstream, options) {
      const response = await inner.send(upstream, options);
      const body = response.body as AsyncIterable<Uint8Array> & { destroy?: () => void };
      const handle = { destroy: () => body.destroy?.() };
      open.add(handle);
      // A frozen process never reads again, nor sees the end or a broken socket: it waits
      // forever (the test drops the instance), so its relay never settles.
      const never = () => new Promise<never>(() => undefined);
      async function* guarded() {
        try {
          for await (const chunk of body) {
            if (frozen) await never();
            yield chunk;
          }
        } catch (error) {
          if (frozen) await never();
          throw error;
        } finally {
          open.delete(handle);
        }
        if (frozen) await never();
      }
      return { ...response, body: guarded() };
    },
  };
  return {
    transport,
    freeze() {
      frozen = true;
      for (const handle of open) handle.destroy();
    },
  };
}

type InstanceOptions = { db: Db; instanceId: string; principal: () => GatewayPrincipal; catalog: () => Promise<CatalogSnapshot>; credential: string; firstTokenTimeoutMs?: number; streamCheckpointMs?: number };

/** Starts an instance the way scripts/start.ts does: register this boot, recover what earlier boots held, then serve. */
export async function startGatewayInstance(options: InstanceOptions) {
  const identity: InstanceIdentity = { instanceId: options.instanceId, bootId: randomBytes(8).toString("hex") };
  await registerBoot(options.db, identity);
  await recoverOrphanedHolds(options.db, { staleMs: 60_000 });
  const drain = new RequestDrain();
  const writer = createGenerationWriter(options.db, { flushIntervalMs: 50 });
  const frozen = freezableTransport(createUndiciTransport({ connectTimeoutMs: 2_000, idleTimeoutMs: 30_000 }));
  const deps: GatewayDeps = {
    authenticate: async () => options.principal(),
    catalog: options.catalog,
    credentialFor: () => options.credential,
    health: new EndpointHealth(),
    transport: frozen.transport,
    sink: writer,
    billing: createLedgerBilling(options.db, identity),
    idempotency: createIdempotencyStore(options.db),
    rateLimits: { counter: createMemoryRateCounter(), settings: async () => ({ account: { rpm: null, tpm: null }, families: [] }) },
    config: { maxRequestBytes: 4 * 1024 * 1024, firstTokenTimeoutMs: options.firstTokenTimeoutMs ?? 5_000, keepAliveIntervalMs: 10_000, streamCheckpointMs: options.streamCheckpointMs },
    drain,
    newId: () => `gen_${randomBytes(12).toString("base64url")}`,
  };
  const instance: GatewayInstance = { chat: createGenerationHandler(chatSurface, deps), messages: createGenerationHandler(messagesSurface, deps), drain, writer };
  return {
    instance,
    /**
     * Kills this instance between two steps: its streams freeze and never settle. Records of
     * requests that completed before the crash are written first (the crash falls after the
     * writer's flush; a real SIGKILL inside its 200 ms window loses those activity rows, not
     * their charges).
     */
    async crash(): Promise<void> {
      frozen.freeze();
      await writer.stop();
    },
    /** A clean stop: every request in flight settles and every record is written. */
    async stop(): Promise<void> {
      await drain.drain(30_000);
      await writer.stop();
    },
  };
}

export async function catalogLoader(db: Db): Promise<() => Promise<CatalogSnapshot>> {
  const snapshot = await loadCatalogSnapshot(db);
  return async () => snapshot;
}
