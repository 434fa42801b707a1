/**
 * Balance leases and group-committed settlement (lib/billing/lease-billing.ts), checked over
 * random sequences (fast-check) against one real database, SQLite and PostgreSQL, shared by
 * several simulated gateway instances: holds, concurrent bursts (which coalesce top-ups and
 * share settlement batches), stream checkpoints, upstream overruns, top-ups, idle time (so
 * leases shrink and return) and crashes, some of them in the middle of a settlement batch.
 *
 * After every step: no account has more held or spent than it has (balance - reserved >= 0,
 * a key's spend + held within its limit), leases never exceed what the account holds, and
 * nothing goes below zero except by what upstreams overran their holds. At the end: no
 * lease or hold is left, balances equal their ledger sums, every acknowledged settlement is
 * charged exactly its cost once, and a call its instance died with is charged once at most,
 * what it settled or checkpointed.
 *
 * On one instance, leases change no answer: a hold is granted exactly when the balance and
 * the key's limit, minus the other open holds, cover it (the last cent is exact), and of
 * 200 simultaneous calls each charged its hold, exactly as many get through as the balance
 * pays for. (With several instances a refusal can come while another holds an idle lease:
 * never more money than the balance, but not always the last cent; see docs/architecture.md.)
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerBoot, type InstanceIdentity } from "@/lib/billing/instance-registry";
import { credit, verifyLedger } from "@/lib/billing/ledger";
import { createLedgerBilling, type LedgerBilling } from "@/lib/billing/ledger-billing";
import { recoverOrphanedHolds } from "@/lib/billing/orphaned-holds";
import type { GenerationRecord } from "@/lib/gateway/ports/gateway-deps";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

const LEASES = { windowMs: 40, idleMs: 25, tickMs: 5 };

function recordOf(id: string, userId: string, costNanoUsd: bigint): GenerationRecord {
  return {
    id,
    userId,
    apiKeyId: null,
    api: "chat",
    requestedModel: "m/x",
    modelSlug: "m/x",
    providerSlug: "p",
    endpointId: "e",
    streamed: false,
    status: "success",
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    finishReason: "stop",
    promptTokens: 1,
    completionTokens: 1,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNanoUsd,
    costBreakdown: null,
    ttftMs: 1,
    latencyMs: 1,
    throughput: 1,
    createdAt: new Date(),
    attempts: [],
    content: null,
  };
}

const pct = fc.integer({ min: 0, max: 100 });
const stepArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ type: fc.constant("reserve" as const), instance: fc.nat(2), amount: fc.bigInt({ min: 1n, max: 300_000n }), stream: fc.boolean() }),
  },
  { weight: 5, arbitrary: fc.record({ type: fc.constant("settle" as const), pick: fc.nat(), costPct: pct, overrun: fc.integer({ min: 0, max: 19 }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("checkpoint" as const), pick: fc.nat(), costPct: pct }) },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant("burst" as const),
      instance: fc.nat(2),
      count: fc.integer({ min: 2, max: 12 }),
      amount: fc.bigInt({ min: 1n, max: 120_000n }),
      costPct: pct,
      crashMidBatch: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("crash" as const), instance: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("topUp" as const), amount: fc.bigInt({ min: 1n, max: 500_000n }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("idle" as const), ms: fc.integer({ min: 0, max: 60 }) }) },
);

type Call = {
  id: string;
  instance: number;
  hold: bigint;
  stream: boolean;
  open: boolean;
  acked: bigint | null;
  submitted: bigint | null;
  checkpoints: bigint[];
  crashed: boolean;
};

/** SQLite twice: leases and settlements on each process's write worker thread (the default), and on the serving thread through Prisma (SQLITE_WRITE_WORKER=off, and the worker's fallback). */
const VARIANTS = (await availableDatabaseKinds()).flatMap((kind): { kind: typeof kind; worker: boolean }[] =>
  kind === "sqlite"
    ? [
        { kind, worker: true },
        { kind, worker: false },
      ]
    : [{ kind, worker: false }],
);

describe("balance leases and group-committed settlement", () => {
  for (const { kind, worker } of VARIANTS) {
    describe(kind === "sqlite" ? `sqlite, ${worker ? "write worker" : "serving thread"}` : kind, () => {
      let t: TestDatabase;
      let n = 0;
      /** SQLite: each simulated process's write worker (settlements and leases off its serving thread, as in a server); a restart reuses its slot's */
      let sqliteWriters: ReturnType<TestDatabase["newSqliteWriter"]>[] = [];
      beforeAll(async () => {
        t = await createTestDatabase(kind);
        sqliteWriters = [0, 1, 2].map(() => (worker ? t.newSqliteWriter() : null));
      });
      afterAll(async () => t?.drop());

      async function newAccount(balance: bigint, keyLimit: bigint | null) {
        const userId = (await t.db.user.create({ data: { email: `lease${n++}@example.com` } })).id;
        const key = await t.db.apiKey.create({
          data: { userId, name: "k", hash: randomBytes(16).toString("hex"), start: "sk", spendLimitTotalNanoUsd: keyLimit },
        });
        await credit(t.db, { userId, kind: "top_up", amountNanoUsd: balance, idempotencyKey: `start:${userId}` });
        return { userId, apiKeyId: key.id };
      }

      async function startInstance(instanceId: string, slot = 0) {
        const identity: InstanceIdentity = { instanceId, bootId: randomBytes(6).toString("hex") };
        await registerBoot(t.db, identity);
        await recoverOrphanedHolds(t.db, { staleMs: 60_000 });
        return { identity, billing: createLedgerBilling(t.db, identity, { leases: LEASES, sqliteWriter: sqliteWriters[slot] }) as LedgerBilling };
      }

      const seen = new Map<string, number>();
      const count = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);

      it("never lets leases and charges exceed the balance across instances, and charges every call once, crashes included", async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.bigInt({ min: 200_000n, max: 5_000_000n }),
            fc.option(fc.bigInt({ min: 100_000n, max: 4_000_000n }), { nil: null }),
            fc.array(stepArb, { minLength: 1, maxLength: 30 }),
            async (initial, keyLimit, steps) => {
              const { userId, apiKeyId } = await newAccount(initial, keyLimit);
              const names = [0, 1, 2].map((i) => `lease-${kind}-${userId}-${i}`);
              const instances = await Promise.all(names.map(startInstance));
              const calls: Call[] = [];
              let topUps = 0n;
              let overrun = 0n;
              let seq = 0;

              const reserveOne = async (instance: number, amount: bigint, stream: boolean) => {
                const id = `g-${userId}-${seq++}`;
                const held = await instances[instance].billing.reserve({ id, userId, apiKeyId, amountNanoUsd: amount });
                if (!held.ok) {
                  count("refused");
                  return null;
                }
                const call: Call = { id, instance, hold: amount, stream, open: true, acked: null, submitted: null, checkpoints: [], crashed: false };
                calls.push(call);
                count((await t.db.reservation.findUnique({ where: { id } })) ? "per-request hold" : "leased hold");
                return call;
              };
              const settleOne = (call: Call, cost: bigint) => {
                call.open = false;
                call.submitted = cost;
                if (cost > call.hold) overrun += cost - call.hold;
                return instances[call.instance].billing
                  .settle({
                    reservationId: call.id,
                    costNanoUsd: cost,
                    idempotencyKey: `charge:${call.id}`,
                    generationId: call.id,
                    record: recordOf(call.id, userId, cost),
                  })
                  .then((result) => {
                    expect(result.settled).toBe(true);
                    call.acked = cost;
                  });
              };
              const crash = async (instance: number) => {
                await instances[instance].billing.abandon();
                for (const call of calls) if (call.instance === instance && call.acked === null && (call.open || call.submitted !== null)) call.crashed = true;
                for (const call of calls) if (call.instance === instance) call.open = false;
                instances[instance] = await startInstance(names[instance], instance);
                count("crash");
              };
              const open = () => calls.filter((c) => c.open);

              const checkAccount = async () => {
                const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
                const key = await t.db.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } });
                const leased = await t.db.lease.aggregate({ where: { userId }, _sum: { amountNanoUsd: true } });
                // Only an upstream that overran its hold takes an account below what it had.
                expect(user.balanceNanoUsd).toBeGreaterThanOrEqual(-overrun);
                expect(user.balanceNanoUsd - user.reservedNanoUsd).toBeGreaterThanOrEqual(-overrun);
                expect(user.reservedNanoUsd).toBeGreaterThanOrEqual(leased._sum.amountNanoUsd ?? 0n);
                expect(key.reservedNanoUsd).toBeGreaterThanOrEqual(0n);
                if (keyLimit !== null) expect(key.spentNanoUsd + key.reservedNanoUsd).toBeLessThanOrEqual(keyLimit + overrun);
              };

              for (const step of steps) {
                if (step.type === "reserve") await reserveOne(step.instance, step.amount, step.stream);
                else if (step.type === "settle" && open().length > 0) {
                  const call = open()[step.pick % open().length];
                  const floor = call.checkpoints.at(-1) ?? 0n;
                  const cost = step.overrun === 0 ? call.hold + call.hold / 4n + 1n : floor + ((call.hold - floor) * BigInt(step.costPct)) / 100n;
                  await settleOne(call, cost);
                } else if (step.type === "checkpoint") {
                  const streams = open().filter((c) => c.stream);
                  if (streams.length === 0) continue;
                  const call = streams[step.pick % streams.length];
                  const cost = (call.hold * BigInt(step.costPct)) / 100n;
                  if (cost < (call.checkpoints.at(-1) ?? 0n)) continue;
                  call.checkpoints.push(cost);
                  await instances[call.instance].billing.checkpoint({ reservationId: call.id, costNanoUsd: cost, record: recordOf(call.id, userId, cost) });
                } else if (step.type === "burst") {
                  // Concurrent holds on one account share a top-up; their settlements share batches.
                  const burst = (await Promise.all(Array.from({ length: step.count }, () => reserveOne(step.instance, step.amount, false)))).filter(
                    (c) => c !== null,
                  );
                  const cost = (call: Call) => (call.hold * BigInt(step.costPct)) / 100n;
                  const half = step.crashMidBatch ? Math.ceil(burst.length / 2) : burst.length;
                  const settling = burst.slice(0, half).map((call) => settleOne(call, cost(call)));
                  let settled = Promise.allSettled(settling);
                  if (step.crashMidBatch && burst.length > 0) {
                    // The first half's batch is being written when the rest queue behind it and the instance dies.
                    await new Promise((resolve) => setImmediate(resolve));
                    settled = Promise.allSettled([...settling, ...burst.slice(half).map((call) => settleOne(call, cost(call)))]);
                    await crash(step.instance);
                  }
                  const results = await settled;
                  if (!step.crashMidBatch) for (const result of results) expect(result.status).toBe("fulfilled");
                  else for (const result of results) count(result.status === "fulfilled" ? "settled before a crash" : "dropped from a batch by a crash");
                } else if (step.type === "crash") await crash(step.instance);
                else if (step.type === "topUp") {
                  topUps += step.amount;
                  await credit(t.db, { userId, kind: "top_up", amountNanoUsd: step.amount, idempotencyKey: `top:${userId}:${seq++}` });
                } else if (step.type === "idle") await new Promise((resolve) => setTimeout(resolve, step.ms));
                await checkAccount();
              }

              for (const call of open()) await settleOne(call, call.hold / 2n);
              for (const instance of instances) await instance.billing.stop();
              await checkAccount();

              const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
              const key = await t.db.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } });
              const charges = await t.db.ledgerEntry.findMany({ where: { userId, kind: "charge" } });
              expect(user.reservedNanoUsd).toBe(0n);
              expect(key.reservedNanoUsd).toBe(0n);
              expect(await t.db.lease.count({ where: { userId } })).toBe(0);
              expect(await t.db.reservation.count({ where: { userId, settledAt: null } })).toBe(0);
              const charged = -charges.reduce((sum, c) => sum + c.amountNanoUsd, 0n);
              expect(user.balanceNanoUsd).toBe(initial + topUps - charged);
              expect(key.spentNanoUsd).toBe(charged);
              expect((await verifyLedger(t.db)).mismatches.filter((m) => m.userId === userId)).toEqual([]);
              for (const call of calls) {
                const own = charges.filter((c) => c.generationId === call.id);
                expect(own.length, `charges of ${call.id}`).toBeLessThanOrEqual(1);
                const amount = own.length ? -own[0].amountNanoUsd : 0n;
                if (call.acked !== null) expect(amount, `charge of ${call.id}`).toBe(call.acked);
                else {
                  // Died with its instance: charged what it had settled or checkpointed, or nothing.
                  expect(call.crashed).toBe(true);
                  if (amount > 0n) expect([call.submitted, ...call.checkpoints]).toContain(amount);
                  if (amount > 0n) count("recovered after a crash");
                }
              }
              for (const charge of charges) expect(calls.some((c) => c.id === charge.generationId)).toBe(true);
            },
          ),
          { numRuns: 30, endOnFailure: true },
        );
        for (const what of ["leased hold", "per-request hold", "refused", "crash", "settled before a crash", "dropped from a batch by a crash"])
          expect(seen.get(what) ?? 0, what).toBeGreaterThan(0);
      }, 300_000);

      it("lets exactly as many of 200 simultaneous calls through as the balance pays for", async () => {
        const hold = 7_000n;
        const { userId, apiKeyId } = await newAccount(hold * 60n + hold / 2n, null);
        const { billing } = await startInstance(`race-${kind}-${userId}`);
        const outcomes = await Promise.all(
          Array.from({ length: 200 }, async (_, i) => {
            const id = `race-${userId}-${i}`;
            const held = await billing.reserve({ id, userId, apiKeyId, amountNanoUsd: hold });
            if (held.ok)
              await billing.settle({
                reservationId: id,
                costNanoUsd: hold,
                idempotencyKey: `charge:${id}`,
                generationId: id,
                record: recordOf(id, userId, hold),
              });
            return held.ok;
          }),
        );
        await billing.stop();
        expect(outcomes.filter(Boolean)).toHaveLength(60);
        const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
        expect(user).toMatchObject({ balanceNanoUsd: hold / 2n, reservedNanoUsd: 0n });
        expect((await verifyLedger(t.db)).mismatches.filter((m) => m.userId === userId)).toEqual([]);
      }, 120_000);

      it("on one instance, grants a hold exactly when the balance and the key's limit cover it (the last cent is exact)", async () => {
        const exactSteps = fc.oneof(
          fc.record({ type: fc.constant("reserve" as const), amount: fc.bigInt({ min: 1n, max: 400_000n }) }),
          fc.record({ type: fc.constant("settle" as const), pick: fc.nat(), costPct: pct }),
          fc.record({ type: fc.constant("idle" as const), ms: fc.integer({ min: 0, max: 40 }) }),
        );
        await fc.assert(
          fc.asyncProperty(
            fc.bigInt({ min: 1n, max: 2_000_000n }),
            fc.option(fc.bigInt({ min: 1n, max: 2_000_000n }), { nil: null }),
            fc.array(exactSteps, { minLength: 1, maxLength: 40 }),
            async (initial, keyLimit, steps) => {
              const { userId, apiKeyId } = await newAccount(initial, keyLimit);
              const { billing } = await startInstance(`exact-${kind}-${userId}`);
              const open: { id: string; hold: bigint }[] = [];
              let seq = 0;
              for (const step of steps) {
                if (step.type === "reserve") {
                  const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
                  const key = await t.db.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } });
                  const holds = open.reduce((sum, h) => sum + h.hold, 0n);
                  const room = user.balanceNanoUsd - holds;
                  const keyRoom = keyLimit === null ? room : keyLimit - key.spentNanoUsd - holds;
                  const id = `x-${userId}-${seq++}`;
                  const held = await billing.reserve({ id, userId, apiKeyId, amountNanoUsd: step.amount });
                  expect(held.ok, `hold of ${step.amount} with ${room} available and ${keyRoom} under the key's limit`).toBe(
                    room >= step.amount && keyRoom >= step.amount,
                  );
                  if (held.ok) open.push({ id, hold: step.amount });
                } else if (step.type === "settle" && open.length > 0) {
                  const [call] = open.splice(step.pick % open.length, 1);
                  const cost = (call.hold * BigInt(step.costPct)) / 100n;
                  await billing.settle({
                    reservationId: call.id,
                    costNanoUsd: cost,
                    idempotencyKey: `charge:${call.id}`,
                    generationId: call.id,
                    record: recordOf(call.id, userId, cost),
                  });
                } else if (step.type === "idle") await new Promise((resolve) => setTimeout(resolve, step.ms));
              }
              for (const call of open)
                await billing.settle({
                  reservationId: call.id,
                  costNanoUsd: 0n,
                  idempotencyKey: `charge:${call.id}`,
                  generationId: call.id,
                  record: recordOf(call.id, userId, 0n),
                });
              await billing.stop();
              expect((await verifyLedger(t.db)).mismatches.filter((m) => m.userId === userId)).toEqual([]);
              expect(await t.db.lease.count({ where: { userId } })).toBe(0);
            },
          ),
          { numRuns: 30, endOnFailure: true },
        );
      }, 300_000);
    });
  }
});
