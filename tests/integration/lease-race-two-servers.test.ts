/**
 * Balance leases across processes: two real `npm start` servers (balance leases on, the
 * default) on one fresh database, sharing one Redis for rate limits (a per-run key prefix),
 * and 200 simultaneous calls, half to each, from one key whose account can pay for exactly
 * 60 of them. Chat and Messages, JSON and streams. The model costs a flat $0.01 a call
 * (no token prices), so a hold is exactly a charge and the count that may pass is exact.
 *
 * Checked: exactly 60 answered 200 and were charged, the other 140 got 402 in their
 * protocol's shape (OpenAI `reject_no_credit`, Anthropic `billing_error`) and cost nothing;
 * the balance, sampled all through the race, was never negative and never below what is
 * held (balance − reserved ≥ 0); and after both servers stop gracefully, no lease or hold
 * is left, the balance is 0, ledger:verify finds nothing, and every served call has
 * exactly one charge of $0.01 and one activity row. On PostgreSQL (the multi-instance
 * deployment) and on SQLite (two processes on one database file, WAL).
 *
 * Why exactly 60 with two instances: money one instance leases is invisible to the other
 * until it is used or given back, and an instance whose lease cannot serve a hold gives
 * its free money back before it takes a per-request hold. So a refusal on one server
 * while the other holds free lease money is only final if that server gets no more
 * calls to spend it on; here each server has calls waiting until the money is gone (the
 * same holds for any burst that keeps both busy). A lone instance left holding free money
 * returns it after LEASE_IDLE_MS (docs/architecture.md, "The last cent").
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { credit, verifyLedger } from "@/lib/billing/ledger";
import { createDb, type Db } from "@/lib/db/client";
import type { DatabaseTarget } from "@/lib/db/database-url";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const CALLS = 200;
const PAYABLE = 60;
/** test/flat: $0.01 a call, whatever the tokens */
const PRICE_NANO_USD = 10_000_000n;

type BillingHealth = {
  mode: string;
  leasesHeld: number;
  leasedUsd: string;
  heldUsd: string;
  queuedSettlements: number;
  groupCommit: { batches: number; calls: number; writtenOn: string; offThreadBatches: number };
  perRequestFallbacks: number;
};

async function billingHealth(url: string): Promise<BillingHealth> {
  const response = await fetch(`${url}/api/health`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { billing: BillingHealth }).billing;
}

type Outcome = { server: number; surface: "chat" | "messages"; stream: boolean; status: number; id: string | null; body: string };

async function call(url: string, server: number, key: string, i: number): Promise<Outcome> {
  const surface = i % 4 < 2 ? "chat" : "messages";
  const stream = i % 2 === 1;
  const response =
    surface === "chat"
      ? await fetch(`${url}/api/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "test/flat", max_tokens: 5, stream, messages: [{ role: "user", content: `race ${i}` }] }),
        })
      : await fetch(`${url}/api/anthropic/v1/messages`, {
          method: "POST",
          headers: { "x-api-key": key, "anthropic-version": "2023-06-01", "content-type": "application/json" },
          body: JSON.stringify({ model: "test/flat", max_tokens: 5, stream, messages: [{ role: "user", content: `race ${i}` }] }),
        });
  // Streams are read to their end: a stream is charged when it settles.
  const body = await response.text();
  return { server, surface, stream, status: response.status, id: response.headers.get("x-request-id"), body };
}

/** A key limit far above the race, so each call counts in the shared Redis (and none is refused by it). */
const RPM_LIMIT = 10_000;

async function accountFor60(db: Db, payable = PAYABLE): Promise<{ userId: string; key: string; keyId: string }> {
  const previous = process.env.TRIAL_CREDIT_USD;
  process.env.TRIAL_CREDIT_USD = "0";
  const user = await createUser(db, { email: `race-${randomUUID()}@example.com`, password: "long enough password" });
  process.env.TRIAL_CREDIT_USD = previous;
  await credit(db, { userId: user.id, kind: "top_up", amountNanoUsd: PRICE_NANO_USD * BigInt(payable), idempotencyKey: `race-top-up:${user.id}` });
  const { key, summary } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "race", rpmLimit: RPM_LIMIT }), new Set());
  return { userId: user.id, key, keyId: summary.id };
}

/** Samples the account until stopped: what a reader of the database saw during the race. */
function sampleAccount(db: Db, userId: string) {
  const samples: { balance: bigint; reserved: bigint }[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { balanceNanoUsd: true, reservedNanoUsd: true } });
      samples.push({ balance: user.balanceNanoUsd, reserved: user.reservedNanoUsd });
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return samples;
    },
  };
}

describe("balance leases across two real servers: 200 simultaneous calls against a balance that pays for 60", async () => {
  const kinds = await availableDatabaseKinds();
  const redisPrefixes: string[] = [];
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    try {
      for (const prefix of redisPrefixes) {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      }
    } finally {
      await redis.quit();
    }
  });

  for (const kind of kinds) {
    it(`on ${kind}: exactly 60 served and charged once each, 140 refused with 402, never below zero, nothing held after a graceful stop`, async () => {
      const prefix = `switchyard-test:lease-race:${randomUUID()}`;
      redisPrefixes.push(prefix);
      const target = kind === "postgres" ? await createTestTarget("postgres") : null;
      let gw: GatewayFixture | undefined;
      let second: SwitchyardProcess | undefined;
      let db: Db | undefined;
      try {
        // The fixture's 1.5 s first-token timeout is for failover tests. Two processes on one
        // SQLite file wait for each other's write lock (per-request holds on the serving
        // thread, libsql being synchronous), which on a loaded box can exceed it: a 504 here
        // would be about timeouts, not billing.
        gw = await startGatewayFixture(
          { REDIS_URL, RATE_LIMIT_REDIS_PREFIX: prefix, SWITCHYARD_INSTANCE_ID: `race-${kind}-a`, FIRST_TOKEN_TIMEOUT_MS: "30000" },
          target ? { database: target.target } : {},
        );
        second = await startSwitchyard({ ...gw.env, SWITCHYARD_INSTANCE_ID: `race-${kind}-b` });
        const dbTarget: DatabaseTarget = gw.dbTarget;
        db = createDb(dbTarget);
        const urls = [gw.url, second.url];
        // Both servers warm (gateway built, SQLite write worker started, routes loaded) before
        // the race, on another account: a server's first call takes a second or more on this
        // box, long enough for the other, once warm, to spend all 60 alone.
        const warm = await accountFor60(db, 20);
        const warmUp = await Promise.all(urls.flatMap((url, server) => [0, 1, 2, 3].map((i) => call(url, server, warm.key, i))));
        expect(warmUp.map((o) => o.status)).toEqual(warmUp.map(() => 200));
        const before = await Promise.all(urls.map(billingHealth));
        const { userId, key, keyId } = await accountFor60(db);

        const sampler = sampleAccount(db, userId);
        const outcomes = await Promise.all(Array.from({ length: CALLS }, (_, i) => call(urls[i % 2], i % 2, key, i)));
        const samples = await sampler.stop();

        const served = outcomes.filter((o) => o.status === 200);
        const refused = outcomes.filter((o) => o.status === 402);
        expect(outcomes.filter((o) => o.status !== 200 && o.status !== 402).map((o) => `${o.status} ${o.body.slice(0, 200)}`)).toEqual([]);
        expect(served).toHaveLength(PAYABLE);
        expect(refused).toHaveLength(CALLS - PAYABLE);
        // Both servers served and refused, streams among both (the split is by index, not by luck).
        for (const server of [0, 1]) expect(outcomes.filter((o) => o.server === server)).toHaveLength(CALLS / 2);
        expect(served.some((o) => o.stream)).toBe(true);
        for (const o of refused) {
          const error = JSON.parse(o.body);
          if (o.surface === "chat")
            expect(error.error).toMatchObject({ code: "402", type: "reject_no_credit", message: expect.stringMatching(/^Insufficient balance/) });
          else expect(error).toMatchObject({ type: "error", error: { type: "billing_error" } });
        }
        for (const o of served) {
          expect(o.id).toBeTruthy();
          if (o.stream) expect(o.body).toMatch(o.surface === "chat" ? /data: \[DONE\]/ : /event: message_stop/);
        }

        expect(samples.length).toBeGreaterThan(0);
        for (const sample of samples) {
          expect(sample.balance).toBeGreaterThanOrEqual(0n);
          expect(sample.balance - sample.reserved).toBeGreaterThanOrEqual(0n);
        }

        // Each server served from balance leases with group-committed settlements, and fell
        // back to per-request holds near the last cent (what /api/health reports, less the warm-up).
        const after = await Promise.all(urls.map(billingHealth));
        const health = after.map((figures, server) => ({
          ...figures,
          groupCommit: {
            ...figures.groupCommit,
            calls: figures.groupCommit.calls - before[server].groupCommit.calls,
            batches: figures.groupCommit.batches - before[server].groupCommit.batches,
          },
          perRequestFallbacks: figures.perRequestFallbacks - before[server].perRequestFallbacks,
        }));
        for (const [server, figures] of health.entries()) {
          expect(figures.mode).toBe("leases");
          expect(figures.groupCommit.calls).toBeGreaterThan(0);
          expect(figures.groupCommit.batches).toBeGreaterThan(0);
          expect(figures.groupCommit.batches).toBeLessThanOrEqual(figures.groupCommit.calls);
          // SQLite: written by each process's write worker thread, none on its serving thread.
          expect(figures.groupCommit.writtenOn).toBe(kind === "sqlite" ? "worker" : "main");
          expect(figures.groupCommit.offThreadBatches).toBe(kind === "sqlite" ? after[server].groupCommit.batches : 0);
          expect(figures.queuedSettlements).toBe(0);
          expect(figures.heldUsd).toBe("0.00");
        }
        const leasedCalls = health.reduce((n, f) => n + f.groupCommit.calls, 0);
        const fallbacks = health.reduce((n, f) => n + f.perRequestFallbacks, 0);
        expect(fallbacks).toBeGreaterThan(0);
        expect(leasedCalls).toBeLessThanOrEqual(PAYABLE);

        // The rate-limit count is in the shared Redis: every call, whichever server it reached.
        // On SQLite a process can stall on the other's write lock longer than a Redis command
        // may take (500 ms); such a call is counted in that process's memory instead, by
        // design (flexible-rate-counter.ts), so there the count is only some of the calls.
        const redis = new Redis(REDIS_URL);
        try {
          const counted = Number(await redis.get(`${prefix}:req:key:${keyId}`));
          console.info(
            `${kind}: ${leasedCalls} of ${PAYABLE} served calls through leases in ${health.map((f) => f.groupCommit.batches).join(" + ")} group commits, ${fallbacks} per-request fallbacks, ${counted} of ${CALLS} calls counted in Redis`,
          );
          if (kind === "postgres") expect(counted).toBe(CALLS);
          else {
            expect(counted).toBeGreaterThan(0);
            expect(counted).toBeLessThanOrEqual(CALLS);
          }
        } finally {
          await redis.quit();
        }

        // Graceful stops write the queued settlements and records and return the leases.
        expect(await second.stop()).toBe(0);
        expect(await gw.server.stop()).toBe(0);

        const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
        expect(user).toMatchObject({ balanceNanoUsd: 0n, reservedNanoUsd: 0n });
        expect(await db.lease.count({ where: { userId } })).toBe(0);
        expect(await db.reservation.count({ where: { userId, settledAt: null } })).toBe(0);

        const charges = await db.ledgerEntry.findMany({ where: { userId, kind: "charge" } });
        expect(charges).toHaveLength(PAYABLE);
        const servedIds = served.map((o) => o.id!).sort();
        expect(charges.map((c) => c.generationId).sort()).toEqual(servedIds);
        for (const charge of charges) expect(charge.amountNanoUsd).toBe(-PRICE_NANO_USD);

        const rows = await db.generation.findMany({ where: { userId, status: "success" }, select: { id: true, costNanoUsd: true, streamed: true } });
        expect(rows.map((r) => r.id).sort()).toEqual(servedIds);
        for (const row of rows) expect(row.costNanoUsd).toBe(PRICE_NANO_USD);
        expect(rows.filter((r) => r.streamed).length).toBe(served.filter((o) => o.stream).length);

        const report = await verifyLedger(db);
        expect(report.mismatches).toEqual([]);
        expect(report.orphanedHolds).toEqual([]);
        expect(report.chargesWithoutRecord).toEqual([]);
      } finally {
        await db?.$disconnect();
        await second?.stop();
        await gw?.stop();
        await target?.dropTarget();
      }
    }, 240_000);
  }
});
