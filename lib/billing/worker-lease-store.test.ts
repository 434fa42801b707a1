import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import type { Db } from "../db/client";
import { createSqliteWriteWorker, SqliteWriteError, sqliteWriteWorkerEnabled, type SqliteWriteWorker } from "../db/sqlite-write-worker";
import type { GenerationRecord } from "../gateway/ports/gateway-deps";
import { createGroupCommit } from "./group-commit";
import { credit } from "./ledger";
import { createLedgerBilling } from "./ledger-billing";
import { createPrismaLeaseStore, LeaseGone, type BatchOutcome, type LeasedSettlement, type LeaseRef, type LeaseStore } from "./lease-store";
import { createWorkerLeaseStore } from "./worker-lease-store";

type RawDatabase = { prepare(sql: string): { all(...params: unknown[]): Record<string, unknown>[] }; exec(sql: string): void; close(): void };
const openRaw = (filePath: string): RawDatabase => new (createRequire(path.join(process.cwd(), "package.json"))("libsql"))(filePath);
const filePath = (t: TestDatabase) => (t.target.kind === "sqlite" ? t.target.filePath : "");

const owner = { instanceId: "i-1", bootId: "boot-1" };
const HELD_AT = new Date("2026-11-22T12:00:00.000Z");

/**
 * Every row of the billing tables as stored, each value with its SQLite type; times written
 * with `new Date()` (settledAt, updatedAt, a ledger entry's or a lease's createdAt…) differ
 * between two runs, so only their type and length are compared (an ISO 8601 text with
 * "+00:00" either way), and ledger ids are random.
 */
function dump(filePath: string) {
  const raw = openRaw(filePath);
  try {
    const tables = { Lease: "id", Reservation: "id", LedgerEntry: "idempotencyKey", ApiKey: "id", User: "id" } as const;
    const varying = new Set([
      "settledAt",
      "updatedAt",
      "checkpointAt",
      "recordedAt",
      "id:LedgerEntry",
      "createdAt:LedgerEntry",
      "createdAt:User",
      "createdAt:ApiKey",
      "createdAt:Lease",
    ]);
    return Object.fromEntries(
      Object.entries(tables).map(([table, order]) => {
        const columns = raw
          .prepare(`PRAGMA table_info("${table}")`)
          .all()
          .map((c) => String(c.name));
        const select = columns
          .map((c) => `typeof("${c}") AS "${c}:type", ${varying.has(c) || varying.has(`${c}:${table}`) ? `length("${c}")` : `"${c}"`} AS "${c}"`)
          .join(", ");
        return [table, raw.prepare(`SELECT ${select} FROM "${table}" ORDER BY "${order}"`).all()];
      }),
    );
  } finally {
    raw.close();
  }
}

function record(id: string): string {
  return JSON.stringify({ id, note: "provisional record" });
}

function settlement(
  reservationId: string,
  lease: LeaseRef,
  costNanoUsd: bigint,
  debitNanoUsd: bigint,
  idempotencyKey = `charge:${reservationId}`,
): LeasedSettlement {
  return {
    reservationId,
    lease,
    holdNanoUsd: 100_000n,
    heldAt: HELD_AT,
    ttlMs: 60_000,
    costNanoUsd,
    debitNanoUsd,
    idempotencyKey,
    generationId: reservationId,
    record: record(reservationId),
  };
}

const sorted = (outcome: BatchOutcome) => ({
  settled: [...outcome.settled].sort(),
  charged: [...outcome.charged].sort(),
  openLeases: [...outcome.openLeases].sort(),
});

async function seed(db: Db) {
  await db.user.create({ data: { id: "u1", email: "u1@example.com" } });
  await db.user.create({ data: { id: "u2", email: "u2@example.com" } });
  await db.apiKey.create({ data: { id: "k1", userId: "u1", name: "k", hash: "h1", start: "sk", spendLimitTotalNanoUsd: 5_000_000n } });
  await credit(db, { userId: "u1", kind: "top_up", amountNanoUsd: 10_000_000n, idempotencyKey: "start:u1" });
  await credit(db, { userId: "u2", kind: "top_up", amountNanoUsd: 100n, idempotencyKey: "start:u2" });
}

/** The same lease operations and one settlement batch covering every case settleLeasedBatch tells apart. */
async function runScenario(db: Db, store: LeaseStore) {
  const l1: LeaseRef = { id: "lease-1", userId: "u1", apiKeyId: "k1", membershipId: null };
  const gone: LeaseRef = { id: "lease-gone", userId: "u1", apiKeyId: "k1", membershipId: null };
  const grows = [
    await store.grow(l1, { amountNanoUsd: 1_000_000n, create: true, owner }),
    await store.grow(l1, { amountNanoUsd: 500_000n, create: false, owner }),
    // Past the key's total limit (5,000,000 with 1,500,000 held): refused, nothing written.
    await store.grow(l1, { amountNanoUsd: 4_000_000n, create: false, owner }),
    // u2's balance (100) cannot lend 1,000: refused, and the new lease's row rolled back.
    await store.grow({ id: "lease-2", userId: "u2", apiKeyId: null, membershipId: null }, { amountNanoUsd: 1_000n, create: true, owner }),
    await store.grow(gone, { amountNanoUsd: 1n, create: false, owner }).catch((error: Error) => (error instanceof LeaseGone ? "gone" : error.message)),
  ];
  const checkpoints = [
    await store.checkpoint({
      reservationId: "stream",
      lease: l1,
      holdNanoUsd: 100_000n,
      heldAt: HELD_AT,
      ttlMs: 60_000,
      owner,
      costNanoUsd: 20_000n,
      record: record("stream-1"),
    }),
    await store.checkpoint({
      reservationId: "stream",
      lease: l1,
      holdNanoUsd: 100_000n,
      heldAt: HELD_AT,
      ttlMs: 60_000,
      owner,
      costNanoUsd: 40_000n,
      record: record("stream-2"),
    }),
    await store.checkpoint({
      reservationId: "stream-of-gone",
      lease: gone,
      holdNanoUsd: 100_000n,
      heldAt: HELD_AT,
      ttlMs: 60_000,
      owner,
      costNanoUsd: 1n,
      record: record("x"),
    }),
  ];
  // Closed by recovery before its settlement arrives, and a charge already written under another call's key.
  await db.reservation.create({
    data: {
      id: "recovered",
      userId: "u1",
      apiKeyId: "k1",
      amountNanoUsd: 100_000n,
      createdAt: HELD_AT,
      expiresAt: HELD_AT,
      settledAt: HELD_AT,
      leaseId: "lease-1",
    },
  });
  await db.ledgerEntry.create({ data: { id: "e-dup", userId: "u1", kind: "charge", amountNanoUsd: -5n, idempotencyKey: "charge:dup", createdAt: HELD_AT } });
  await db.user.update({ where: { id: "u1" }, data: { balanceNanoUsd: { decrement: 5n } } });
  const outcome = await store.settleBatch(owner, [
    settlement("json", l1, 30_000n, 30_000n),
    settlement("overrun", l1, 2_000_000n, 1_400_000n),
    settlement("stream", l1, 50_000n, 50_000n),
    settlement("recovered", l1, 10_000n, 10_000n),
    settlement("free", l1, 0n, 0n),
    settlement("dup", l1, 5n, 5n, "charge:dup"),
    settlement("after-recovery", gone, 7_000n, 7_000n),
  ]);
  const left = (await db.lease.findUniqueOrThrow({ where: { id: "lease-1" } })).amountNanoUsd;
  const shrinks = [await store.shrink(l1, 100n, false), await store.shrink(gone, 1n, true), await store.shrink(l1, left - 100n, true)];
  return { grows, checkpoints, outcome: sorted(outcome), left, shrinks };
}

describe("balance leases on the SQLite write worker", () => {
  let viaPrisma: TestDatabase;
  let viaWorker: TestDatabase;
  let worker: SqliteWriteWorker;

  beforeAll(async () => {
    [viaPrisma, viaWorker] = await Promise.all([createTestDatabase("sqlite"), createTestDatabase("sqlite")]);
    worker = createSqliteWriteWorker({ filePath: filePath(viaWorker), busyTimeoutMs: 5000, synchronous: "NORMAL" });
  });
  afterAll(async () => {
    await worker?.close();
    await viaPrisma?.drop();
    await viaWorker?.drop();
  });

  it("writes exactly what the Prisma store writes and gives the same answers: refusals, recovery's leases and rows, duplicates, overruns", async () => {
    await seed(viaPrisma.db);
    await seed(viaWorker.db);
    const workerStore = createWorkerLeaseStore(viaWorker.db, worker, createPrismaLeaseStore(viaWorker.db));
    const expected = await runScenario(viaPrisma.db, createPrismaLeaseStore(viaPrisma.db));
    expect(expected).toEqual({
      grows: [{ ok: true }, { ok: true }, { ok: false, refusedBy: "key_total" }, { ok: false, refusedBy: "balance" }, "gone"],
      checkpoints: [true, true, false],
      outcome: {
        settled: ["after-recovery", "dup", "free", "json", "overrun", "stream"],
        charged: ["after-recovery", "json", "overrun", "stream"],
        openLeases: ["lease-1"],
      },
      left: 1_500_000n - 30_000n - 1_400_000n - 50_000n,
      shrinks: ["open", "gone", "closed"],
    });
    expect(await runScenario(viaWorker.db, workerStore)).toEqual(expected);
    expect(workerStore.stats()).toEqual({ via: "worker", offThreadBatches: 1, fallbackBatches: 0 });
    expect(dump(filePath(viaWorker))).toEqual(dump(filePath(viaPrisma)));
  });

  it("keeps the serving thread turning while a batch waits for the write lock, and the caller still awaits its durable charge", async () => {
    const t = await createTestDatabase("sqlite");
    const own = createSqliteWriteWorker({ filePath: filePath(t), busyTimeoutMs: 60_000, synchronous: "NORMAL" });
    const other = openRaw(filePath(t));
    try {
      await seed(t.db);
      const billing = createLedgerBilling(t.db, owner, { leases: { tickMs: 3_600_000 }, sqliteWriter: own });
      expect(await billing.reserve({ id: "call", userId: "u1", apiKeyId: "k1", amountNanoUsd: 50_000n })).toEqual({ ok: true });
      // Another connection (another process, in production) holds the write lock.
      other.exec("BEGIN IMMEDIATE");
      let settled: unknown = "pending";
      const settling = billing
        .settle({
          reservationId: "call",
          costNanoUsd: 30_000n,
          idempotencyKey: "charge:call",
          generationId: "call",
          record: { id: "call", costNanoUsd: 30_000n } as GenerationRecord,
        })
        .then(
          (result) => (settled = result),
          (error: Error) => (settled = error),
        );
      // The batch is written once the worker has it; this thread goes on (on the serving thread,
      // libsql's busy handler would have stopped it here until the lock was released).
      for (let turn = 0; turn < 1000 && own.outstanding === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
      for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(await t.db.user.findUniqueOrThrow({ where: { id: "u1" }, select: { balanceNanoUsd: true } })).toEqual({ balanceNanoUsd: 10_000_000n });
      expect(settled).toBe("pending");
      expect(own.outstanding).toBe(1);
      other.exec("ROLLBACK");
      await settling;
      // Answered only once the charge was committed.
      expect(settled).toEqual({ settled: true });
      expect(await t.db.user.findUniqueOrThrow({ where: { id: "u1" }, select: { balanceNanoUsd: true } })).toEqual({ balanceNanoUsd: 10_000_000n - 30_000n });
      expect(billing.stats()).toMatchObject({ groupCommitBatches: 1, writtenOn: "worker", offThreadBatches: 1 });
      await billing.stop();
      expect(await t.db.lease.count()).toBe(0);
    } finally {
      other.close();
      await own.close();
      await t.drop();
    }
  }, 120_000);

  it("retries a batch the database refuses one call at a time, so only the bad call fails", async () => {
    const t = await createTestDatabase("sqlite");
    const own = createSqliteWriteWorker({ filePath: filePath(t), busyTimeoutMs: 5000, synchronous: "NORMAL" });
    try {
      await seed(t.db);
      const store = createWorkerLeaseStore(t.db, own, createPrismaLeaseStore(t.db));
      const lease: LeaseRef = { id: "lease-1", userId: "u1", apiKeyId: "k1", membershipId: null };
      expect(await store.grow(lease, { amountNanoUsd: 1_000_000n, create: true, owner })).toEqual({ ok: true });
      const batches: string[][] = [];
      const commits = createGroupCommit(async (batch: LeasedSettlement[]) => {
        batches.push(batch.map((s) => s.reservationId));
        const outcome = await store.settleBatch(owner, batch);
        return batch.map((s) => outcome.charged.has(s.reservationId));
      });
      // A call of an account that does not exist: its Reservation row breaks a foreign key.
      const results = await Promise.allSettled(
        [settlement("a", lease, 10_000n, 10_000n), settlement("bad", { ...lease, userId: "nobody" }, 1n, 1n), settlement("b", lease, 20_000n, 20_000n)].map(
          (s) => commits.submit(s),
        ),
      );
      expect(results.map((r) => (r.status === "fulfilled" ? r.value : "rejected"))).toEqual([true, "rejected", true]);
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(SqliteWriteError);
      expect(batches).toEqual([["a", "bad", "b"], ["a"], ["bad"], ["b"]]);
      // The refused batch committed nothing: each good call is charged once, by its own retry.
      expect(
        (await t.db.ledgerEntry.findMany({ where: { kind: "charge" }, orderBy: { generationId: "asc" } })).map((e) => [e.generationId, e.amountNanoUsd]),
      ).toEqual([
        ["a", -10_000n],
        ["b", -20_000n],
      ]);
      expect(await t.db.lease.findUniqueOrThrow({ where: { id: "lease-1" } })).toMatchObject({ amountNanoUsd: 1_000_000n - 30_000n });
      expect(store.stats()).toEqual({ via: "worker", offThreadBatches: 2, fallbackBatches: 0 });
    } finally {
      await own.close();
      await t.drop();
    }
  });

  it("writes on the serving thread when the worker cannot start, logged once", async () => {
    const t = await createTestDatabase("sqlite");
    const broken = createSqliteWriteWorker({ filePath: filePath(t), busyTimeoutMs: 5000, synchronous: "NORMAL", resolveFrom: "/nonexistent/package.json" });
    try {
      await seed(t.db);
      const lines: string[] = [];
      const store = createWorkerLeaseStore(t.db, broken, createPrismaLeaseStore(t.db), (line) => lines.push(line));
      const lease: LeaseRef = { id: "lease-1", userId: "u1", apiKeyId: "k1", membershipId: null };
      expect(await store.grow(lease, { amountNanoUsd: 1_000_000n, create: true, owner })).toEqual({ ok: true });
      expect(sorted(await store.settleBatch(owner, [settlement("a", lease, 10_000n, 10_000n)]))).toEqual({
        settled: ["a"],
        charged: ["a"],
        openLeases: ["lease-1"],
      });
      expect(sorted(await store.settleBatch(owner, [settlement("b", lease, 10_000n, 10_000n)]))).toEqual({
        settled: ["b"],
        charged: ["b"],
        openLeases: ["lease-1"],
      });
      expect(store.stats()).toEqual({ via: "main", offThreadBatches: 0, fallbackBatches: 2 });
      expect(lines).toEqual([expect.stringMatching(/SQLite write worker cannot start.*on the serving thread instead/)]);
    } finally {
      await broken.close();
      await t.drop();
    }
  });

  it("is switched by SQLITE_WRITE_WORKER, and by ACTIVITY_WRITE_WORKER when that is not set", () => {
    expect(sqliteWriteWorkerEnabled({})).toBe(true);
    expect(sqliteWriteWorkerEnabled({ SQLITE_WRITE_WORKER: "off" })).toBe(false);
    expect(sqliteWriteWorkerEnabled({ ACTIVITY_WRITE_WORKER: "OFF" })).toBe(false);
    expect(sqliteWriteWorkerEnabled({ SQLITE_WRITE_WORKER: "on", ACTIVITY_WRITE_WORKER: "off" })).toBe(true);
    expect(() => sqliteWriteWorkerEnabled({ SQLITE_WRITE_WORKER: "yes" })).toThrow('SQLITE_WRITE_WORKER must be on or off, got "yes"');
  });
});
