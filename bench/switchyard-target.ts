/**
 * Switchyard as a bench target, started as tests start it (the start script, via
 * tests/support/switchyard-process.ts) with a throwaway data folder, catalog, database,
 * account and key. Variants: SQLite, a fresh PostgreSQL database (dropped afterwards), and
 * SQLite with REDIS_URL under a fresh key prefix (removed afterwards).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { createUser } from "../lib/auth/user-service.ts";
import { credit } from "../lib/billing/ledger.ts";
import { createDb } from "../lib/db/client.ts";
import type { DatabaseTarget } from "../lib/db/database-url.ts";
import { createApiKeyInputSchema } from "../lib/keys/api-key-input.ts";
import { createApiKey } from "../lib/keys/api-key-service.ts";
import { startSwitchyard } from "../tests/support/switchyard-process.ts";
import { createTestTarget, isPostgresAvailable } from "../tests/support/test-database.ts";
import { Unavailable } from "./child-server.ts";
import { makeAgent, type Target } from "./load.ts";
import { startRssSampler } from "./proc-stats.ts";
import { smokeCheck, UPSTREAM_KEY, type Gateway } from "./targets.ts";

export const BENCH_MODEL = "bench/echo";
/** Routed to the fake provider name `slow`, whose knobs pace the slow-stream test. */
export const SLOW_MODEL = "bench/slow";
export const SLOW_FAKE_PROVIDER = "slow";
const REDIS_URL = process.env.BENCH_REDIS_URL?.trim() || "redis://127.0.0.1:6379";
// Far out of reach: the rate-limit path runs (and counts in Redis) without refusing anything.
const UNREACHABLE_LIMIT = 100_000_000;
// Enough that no bench run meets the balance: the hot path, not the low-balance fallback.
const BENCH_CREDIT_NANO_USD = 1_000_000n * 1_000_000_000n;

export type SwitchyardVariant = "sqlite" | "postgres" | "redis";

const price = (prompt: number, completion: number) => ({
  prompt: [{ value: prompt, unit: "perMTokens", currency: "USD" }],
  completion: [{ value: completion, unit: "perMTokens", currency: "USD" }],
});

/** One provider per purpose (the fake under two names) and one model each, like tests/support/gateway-fixture.ts. */
function writeCatalog(file: string, fakeUrl: string, fakeName: string): void {
  const provider = (slug: string, fakeProvider: string) => ({
    slug,
    name: `Bench ${slug}`,
    adapter: "openai",
    baseUrl: `${fakeUrl}/p/${fakeProvider}/v1`,
    apiKeyEnv: "BENCH_UPSTREAM_API_KEY",
  });
  const model = (id: string, providerSlug: string) => ({
    id,
    name: id,
    // Room for the large-prompt case (~40k tokens).
    contextLength: 200_000,
    capabilities: { tools: true, json: true },
    endpoints: [{ provider: providerSlug, name: `${providerSlug}_ep`, upstreamModel: "echo", pricings: price(1, 2) }],
  });
  const catalog = {
    providers: [provider("bench", fakeName), provider("slow", SLOW_FAKE_PROVIDER)],
    models: [model(BENCH_MODEL, "bench"), model(SLOW_MODEL, "slow")],
  };
  writeFileSync(file, JSON.stringify(catalog));
}

async function databaseFor(variant: SwitchyardVariant, dir: string): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  if (variant !== "postgres") {
    const filePath = path.join(dir, "db.sqlite");
    return { target: { kind: "sqlite", url: `file:${filePath}`, filePath }, drop: async () => undefined };
  }
  if (!(await isPostgresAvailable().catch(() => false))) throw new Unavailable("PostgreSQL does not answer on 127.0.0.1:5432");
  const { target, dropTarget } = await createTestTarget("postgres");
  return { target, drop: dropTarget };
}

/** A fresh key prefix in Redis, and the clean-up that deletes whatever was written under it. */
async function redisPrefix(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const prefix = `switchyard-bench-${process.pid}-${randomBytes(4).toString("hex")}`;
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Unavailable(`Redis does not answer at ${REDIS_URL}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    env: { REDIS_URL, RATE_LIMIT_REDIS_PREFIX: prefix },
    drop: async () => {
      let cursor = "0";
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
        if (keys.length) await client.del(...keys);
        cursor = next;
      } while (cursor !== "0");
      await client.quit();
    },
  };
}

async function createBenchKey(target: DatabaseTarget, limited: boolean): Promise<string> {
  const db = createDb(target);
  try {
    const user = await createUser(db, { email: "bench@example.com", password: "long enough bench password" });
    await credit(db, { userId: user.id, kind: "adjustment", amountNanoUsd: BENCH_CREDIT_NANO_USD, idempotencyKey: `bench:${user.id}`, reason: "bench" });
    const limits = limited ? { rpmLimit: UNREACHABLE_LIMIT, tpmLimit: UNREACHABLE_LIMIT } : {};
    const { key } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "bench", ...limits }), new Set([BENCH_MODEL, SLOW_MODEL]));
    return key;
  } finally {
    await db.$disconnect();
  }
}

/**
 * Starts one Switchyard. The Redis variant's key carries request and token limits (set out
 * of reach), since the counters, and so Redis, are only used when a limit applies.
 */
export async function startSwitchyardGateway(variant: SwitchyardVariant, fakeUrl: string, connections: number): Promise<Gateway> {
  const name = `switchyard-${variant}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-"));
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const cleanUp = async (): Promise<void> => {
    while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
  };
  try {
    const catalogFile = path.join(dir, "catalog.json");
    writeCatalog(catalogFile, fakeUrl, name);
    const database = await databaseFor(variant, dir);
    cleanups.push(database.drop);
    const redis = variant === "redis" ? await redisPrefix() : null;
    if (redis) cleanups.push(redis.drop);
    const server = await startSwitchyard({
      DATA_DIR: dir,
      DATABASE_URL: database.target.url,
      CATALOG_FILE: catalogFile,
      BENCH_UPSTREAM_API_KEY: UPSTREAM_KEY,
      ...redis?.env,
    });
    cleanups.push(async () => void (await server.stop()));
    const key = await createBenchKey(database.target, variant === "redis");
    const target: Target = {
      name,
      url: `${server.url}/api/v1/chat/completions`,
      headers: { authorization: `Bearer ${key}` },
      model: BENCH_MODEL,
      agent: makeAgent(connections),
    };
    await smokeCheck(target);
    return {
      kind: "switchyard",
      target,
      pid: server.pid,
      rss: startRssSampler(server.pid),
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
