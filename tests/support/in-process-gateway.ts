/**
 * The gateway core wired in this process to a real database (ledger billing, the batched
 * activity writer) and the fake upstream on loopback, for tests that need many requests
 * quickly (property tests over the ledger). The same ports as lib/server/gateway.ts, minus
 * Next: requests are plain Web Requests handed to the generation handlers through the Web door.
 *
 * `crash()` imitates a process that dies: streams in flight freeze (their relays never
 * settle or checkpoint again, as in a killed process) and the instance is dropped. A new
 * instance with the same instance id starts as the start script does: it registers its
 * boot and recovers the holds its earlier boots left.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { SqliteWriteWorker } from "@/lib/db/sqlite-write-worker";
import { createGenerationWriter, type GenerationWriter } from "@/lib/activity/generation-writer";
import { registerBoot, type InstanceIdentity } from "@/lib/billing/instance-registry";
import type { LeaseOptions } from "@/lib/billing/lease-billing";
import { createLedgerBilling } from "@/lib/billing/ledger-billing";
import { recoverOrphanedHolds } from "@/lib/billing/orphaned-holds";
import { createIdempotencyStore } from "@/lib/idempotency/idempotency-store";
import { loadCatalogSnapshot } from "@/lib/catalog/catalog-snapshot";
import type { CatalogSnapshot } from "@/lib/gateway/catalog-view/catalog-types";
import { createGenerationHandler } from "@/lib/gateway/generation-handler";
import { EndpointHealth } from "@/lib/gateway/health/endpoint-health";
import type { BillingPort } from "@/lib/gateway/ports/billing";
import type { GatewayDeps, GatewayPrincipal } from "@/lib/gateway/ports/gateway-deps";
import { RequestDrain } from "@/lib/gateway/request-drain";
import { chatSurface } from "@/lib/gateway/surfaces/chat-surface";
import { messagesSurface } from "@/lib/gateway/surfaces/messages-surface";
import type { UpstreamTransport } from "@/lib/gateway/transport/transport";
import { createUndiciTransport } from "@/lib/gateway/transport/undici-transport";
import { createMemoryRateCounter } from "@/lib/rate-counters/flexible-rate-counter";
import { webDoor } from "@/lib/server/web-door";

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

/** `leases`: options of balance leases and group-committed settlements (lib/billing/lease-billing.ts), on by default as in production; `false` for per-request holds */
/** `sqliteWriter`: the SQLite write worker of this (simulated) process, as lib/server/gateway.ts has one; none: Prisma on this thread */
type InstanceOptions = {
  db: Db;
  sqliteWriter?: SqliteWriteWorker | null;
  instanceId: string;
  principal: () => GatewayPrincipal;
  catalog: () => Promise<CatalogSnapshot>;
  credential: string;
  firstTokenTimeoutMs?: number;
  streamCheckpointMs?: number;
  leases?: Partial<LeaseOptions> | false;
};

/** Starts an instance the way scripts/prepare.ts and serve.mjs do: register this boot, recover what earlier boots held, then serve. */
export async function startGatewayInstance(options: InstanceOptions) {
  const identity: InstanceIdentity = { instanceId: options.instanceId, bootId: randomBytes(8).toString("hex") };
  await registerBoot(options.db, identity);
  await recoverOrphanedHolds(options.db, { staleMs: 60_000 });
  const drain = new RequestDrain();
  // Records leave the queue only at a clean stop: a crash loses the whole queue, as a
  // SIGKILL would, so every activity row of a crashed instance's calls must come back
  // through recovery.
  const writer = createGenerationWriter(options.db, { flushIntervalMs: 3_600_000 });
  const life = mortalProcess();
  const billing = createLedgerBilling(options.db, identity, { leases: options.leases ?? {}, sqliteWriter: options.sqliteWriter });
  const frozen = freezableTransport(createUndiciTransport({ connectTimeoutMs: 2_000, idleTimeoutMs: 30_000 }));
  const deps: GatewayDeps = {
    authenticate: async () => options.principal(),
    catalog: options.catalog,
    credentialFor: () => options.credential,
    health: new EndpointHealth(),
    transport: frozen.transport,
    sink: {
      record(generation) {
        if (life.alive) writer.record(generation);
      },
    },
    billing: life.guard(billing),
    idempotency: createIdempotencyStore(options.db),
    rateLimits: { counter: createMemoryRateCounter(), settings: async () => ({ account: { rpm: null, tpm: null }, families: [] }) },
    config: {
      maxRequestBytes: 4 * 1024 * 1024,
      firstTokenTimeoutMs: options.firstTokenTimeoutMs ?? 5_000,
      keepAliveIntervalMs: 10_000,
      streamCheckpointMs: options.streamCheckpointMs,
    },
    drain,
    newId: () => `gen_${randomBytes(12).toString("base64url")}`,
  };
  const instance: GatewayInstance = {
    chat: webDoor(createGenerationHandler(chatSurface, deps)),
    messages: webDoor(createGenerationHandler(messagesSurface, deps)),
    drain,
    writer,
  };
  return {
    instance,
    /**
     * Kills this instance: its streams freeze, its queued records and queued settlements
     * are lost, and it never reaches the database again. Billing transactions already under
     * way finish first: what a dead process committed is durable, what it did not is not.
     */
    async crash(): Promise<void> {
      frozen.freeze();
      await life.die(() => billing.abandon());
    },
    /** A clean stop: every request in flight settles and every record is written. */
    async stop(): Promise<void> {
      await drain.drain(30_000);
      await billing.stop();
      await writer.stop();
    },
  };
}

/** Billing calls of a process that can die: once dead, a call never returns (the process is gone). */
function mortalProcess() {
  let alive = true;
  const running = new Set<Promise<unknown>>();
  const never = () => new Promise<never>(() => undefined);
  return {
    get alive() {
      return alive;
    },
    guard(billing: BillingPort): BillingPort {
      const wrap =
        <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
        (...args: A): Promise<R> => {
          if (!alive) return never();
          const result = call(...args);
          running.add(result);
          void result.catch(() => undefined).finally(() => running.delete(result));
          return result.then((value) => (alive ? value : never()));
        };
      return { reserve: wrap(billing.reserve), settle: wrap(billing.settle), checkpoint: wrap(billing.checkpoint), available: wrap(billing.available) };
    },
    /** `dropQueued`: what the process had queued in memory is lost with it */
    async die(dropQueued: () => Promise<void>) {
      alive = false;
      await dropQueued();
      await Promise.allSettled([...running]);
    },
  };
}

export async function catalogLoader(db: Db): Promise<() => Promise<CatalogSnapshot>> {
  const snapshot = await loadCatalogSnapshot(db);
  return async () => snapshot;
}
