import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from "@/tests/support/test-database";
import type { Db } from "../db/client";
import { createSqliteWriteWorker, type SqliteWriteWorker } from "../db/sqlite-write-worker";
import type { GenerationRecord } from "../gateway/ports/gateway-deps";
import { createPrismaActivityStore, createRawActivityStore, createWorkerActivityStore } from "./activity-store";
import { createGenerationWriter } from "./generation-writer";

type RawDatabase = { prepare(sql: string): { all(...params: unknown[]): unknown[] }; exec(sql: string): void; close(): void };
const openRaw = (filePath: string): RawDatabase => new (createRequire(path.join(process.cwd(), "package.json"))("libsql"))(filePath);

function record(id: string, userId: string, extra: Partial<GenerationRecord> = {}): GenerationRecord {
  return {
    id,
    userId,
    apiKeyId: null,
    api: "chat",
    upstreamApi: "messages",
    requestedModel: "m/x",
    modelSlug: "m/x",
    providerSlug: "p1",
    endpointId: null,
    streamed: true,
    status: "success",
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    finishReason: "stop",
    promptTokens: 10,
    completionTokens: 5,
    cacheReadTokens: 1,
    cacheWriteTokens: 2,
    reasoningTokens: 3,
    costNanoUsd: 123_456_789_012n,
    costBreakdown: '[{"feeItem":"prompt"}]',
    ttftMs: 20,
    latencyMs: 40,
    throughput: 50.25,
    createdAt: new Date("2026-11-22T12:34:56.789Z"),
    attempts: [
      {
        seq: 0,
        providerSlug: "p0",
        endpointId: "ep_0",
        status: "error",
        httpStatus: 500,
        errorType: "provider_error",
        errorMessage: "boom",
        durationMs: 3,
        served: false,
        startedAt: new Date("2026-11-22T12:34:56.100Z"),
      },
      {
        seq: 1,
        providerSlug: "p1",
        endpointId: "ep_1",
        status: "success",
        httpStatus: 200,
        errorType: null,
        errorMessage: null,
        durationMs: 7,
        served: true,
        startedAt: new Date("2026-11-22T12:34:56.200Z"),
      },
    ],
    content: { requestBody: '{"q":1}', responseBody: '{"a":2}', truncated: true },
    ...extra,
  };
}

const RAW_COLUMNS = `
  SELECT 'g' AS t, "id" AS k, "createdAt" AS d, typeof("createdAt") AS dt, "streamed" AS b, typeof("costNanoUsd") AS n FROM "Generation"
  UNION ALL SELECT 'a', "generationId" || ':' || "seq", "startedAt", typeof("startedAt"), "served", typeof("durationMs") FROM "GenerationAttempt"
  UNION ALL SELECT 'c', "generationId", "createdAt", typeof("createdAt"), "truncated", typeof("requestBody") FROM "GenerationContent"
  UNION ALL SELECT 'h', "userId", "hour", typeof("hour"), "requests", typeof("costNanoUsd") FROM "UsageRollup"
  UNION ALL SELECT 'd', "userId", "day", typeof("day"), "requests", typeof("costNanoUsd") FROM "UsageDailyRollup"
  ORDER BY 1, 2`;

async function readBack(db: Db) {
  const generations = await db.generation.findMany({
    orderBy: { id: "asc" },
    include: { attempts: { orderBy: { seq: "asc" }, omit: { id: true } }, content: true },
  });
  const hourly = await db.usageRollup.findMany({ orderBy: [{ userId: "asc" }, { hour: "asc" }], omit: { id: true } });
  const daily = await db.usageDailyRollup.findMany({ orderBy: [{ userId: "asc" }, { day: "asc" }] });
  const reservations = await db.reservation.findMany({ orderBy: { id: "asc" }, select: { id: true, recordedAt: true, provisionalRecord: true } });
  return {
    generations,
    hourly,
    daily,
    reservations: reservations.map((r) => ({ id: r.id, recorded: r.recordedAt !== null, provisionalRecord: r.provisionalRecord })),
  };
}

describe("activity batches on the SQLite worker thread", () => {
  let viaPrisma: TestDatabase;
  let viaWorker: TestDatabase;
  let worker: SqliteWriteWorker;
  const filePath = (t: TestDatabase) => (t.target.kind === "sqlite" ? t.target.filePath : "");

  beforeAll(async () => {
    [viaPrisma, viaWorker] = await Promise.all([createTestDatabase("sqlite"), createTestDatabase("sqlite")]);
    worker = createSqliteWriteWorker({ filePath: filePath(viaWorker), busyTimeoutMs: 5000, synchronous: "NORMAL" });
  });
  afterAll(async () => {
    await worker?.close();
    await viaPrisma?.drop();
    await viaWorker?.drop();
  });

  async function seed(db: Db) {
    await db.user.create({ data: { id: "u1", email: "u1@example.com" } });
    await db.user.create({ data: { id: "u2", email: "u2@example.com" } });
    // A settled call whose record the batch must mark recorded, and one still open (left alone).
    const base = { userId: "u1", amountNanoUsd: 1n, expiresAt: new Date("2030-01-01T00:00:00Z"), provisionalRecord: "{}" };
    await db.reservation.create({ data: { ...base, id: "g1", settledAt: new Date() } });
    await db.reservation.create({ data: { ...base, id: "g3" } });
  }

  it("writes exactly what the Prisma path writes, in the same encodings, and marks settlements recorded", async () => {
    await seed(viaPrisma.db);
    await seed(viaWorker.db);
    const batches = [
      [record("g1", "u1"), record("g2", "u2", { upstreamApi: undefined, apiKeyId: null, content: null, attempts: [], throughput: null, ttftMs: null })],
      // Same hour and account as g1: the rollup rows are added to, not duplicated.
      [
        record("g3", "u1", { status: "error", createdAt: new Date("2026-11-22T12:59:59.999Z") }),
        record("g4", "u1", { createdAt: new Date("2026-11-22T13:00:00.000Z"), modelSlug: null }),
      ],
    ];
    const prismaStore = createPrismaActivityStore(viaPrisma.db);
    const workerStore = createWorkerActivityStore(worker, createPrismaActivityStore(viaWorker.db));
    for (const batch of batches) {
      await prismaStore.write(batch);
      await workerStore.write(batch);
    }
    expect(workerStore.stats()).toEqual({ via: "worker", offThreadBatches: 2, fallbackBatches: 0 });
    const expected = await readBack(viaPrisma.db);
    expect(expected.hourly.map((r) => [r.userId, r.requests])).toEqual([
      ["u1", 2],
      ["u1", 1],
      ["u2", 1],
    ]);
    expect(expected.reservations).toEqual([
      { id: "g1", recorded: true, provisionalRecord: null },
      { id: "g3", recorded: false, provisionalRecord: "{}" },
    ]);
    expect(await readBack(viaWorker.db)).toEqual(expected);
    // Byte for byte: dates as the Prisma adapter stores them, so rows from either path share rollup keys.
    const [a, b] = [openRaw(filePath(viaPrisma)), openRaw(filePath(viaWorker))];
    expect(b.prepare(RAW_COLUMNS).all()).toEqual(a.prepare(RAW_COLUMNS).all());
    a.close();
    b.close();
  });

  it("adds to rollup rows the Prisma path wrote (one row per hour and key, not two)", async () => {
    const t = await createTestDatabase("sqlite");
    const mixed = createSqliteWriteWorker({ filePath: filePath(t), busyTimeoutMs: 5000, synchronous: "FULL" });
    try {
      await t.db.user.create({ data: { id: "u1", email: "u1@example.com" } });
      await createPrismaActivityStore(t.db).write([record("p1", "u1")]);
      await createWorkerActivityStore(mixed, createPrismaActivityStore(t.db)).write([record("w1", "u1")]);
      expect((await t.db.usageRollup.findMany()).map((r) => [r.requests, r.costNanoUsd])).toEqual([[2, 2n * 123_456_789_012n]]);
      expect((await t.db.usageDailyRollup.findMany()).map((r) => r.requests)).toEqual([2]);
    } finally {
      await mixed.close();
      await t.drop();
    }
  });

  it("parks a refused record through the worker and writes the rest (the writer's isolation is unchanged)", async () => {
    const t = await createTestDatabase("sqlite");
    const own = createSqliteWriteWorker({ filePath: filePath(t), busyTimeoutMs: 5000, synchronous: "NORMAL" });
    try {
      await t.db.user.create({ data: { id: "u1", email: "u1@example.com" } });
      const lines: string[] = [];
      const writer = createGenerationWriter(t.db, {
        flushIntervalMs: 3_600_000,
        maxBatch: 8,
        store: createWorkerActivityStore(own, createPrismaActivityStore(t.db)),
        log: (line) => lines.push(line),
      });
      for (let i = 0; i < 12; i++) writer.record(record(`ok_${String(i).padStart(2, "0")}`, "u1"));
      writer.record(record("orphan", "no-such-user"));
      await writer.stop();
      expect(writer.stats()).toMatchObject({ queued: 0, parked: 1, dropped: 0, via: "worker" });
      expect(writer.stats().offThreadBatches).toBeGreaterThan(0);
      expect(await t.db.generation.count()).toBe(12);
      expect(lines).toEqual([expect.stringMatching(/^generation writer: parked record orphan \(user no-such-user\), the database refused it: .*FOREIGN KEY/)]);
    } finally {
      await own.close();
      await t.drop();
    }
  });

  it("keeps the serving thread answering while the worker holds the write lock", async () => {
    const t = await createTestDatabase("sqlite");
    const own = createSqliteWriteWorker({ filePath: filePath(t), busyTimeoutMs: 5000, synchronous: "NORMAL" });
    const probe = openRaw(filePath(t));
    probe.exec("PRAGMA busy_timeout = 0");
    const writeLockTaken = () => {
      try {
        probe.exec("BEGIN IMMEDIATE");
        probe.exec("ROLLBACK");
        return false;
      } catch {
        return true;
      }
    };
    try {
      await t.db.user.create({ data: { id: "u1", email: "u1@example.com" } });
      let committed = false;
      // A write, then a long computation inside the same transaction: the worker holds the write lock throughout.
      const transaction = own
        .transaction([
          { sql: `UPDATE "User" SET "name" = ? WHERE "id" = ?`, params: ["held", "u1"] },
          { sql: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000) SELECT count(*) FROM c", params: [] },
        ])
        .then(() => (committed = true));
      while (!writeLockTaken()) await new Promise((resolve) => setTimeout(resolve, 1));
      // This thread is free: a query is answered (WAL readers do not wait for the writer), before the worker commits.
      expect(await t.db.user.findUnique({ where: { id: "u1" }, select: { name: true } })).toEqual({ name: null });
      expect(writeLockTaken()).toBe(true);
      expect(committed).toBe(false);
      await transaction;
      expect(await t.db.user.findUnique({ where: { id: "u1" }, select: { name: true } })).toEqual({ name: "held" });
    } finally {
      probe.close();
      await own.close();
      await t.drop();
    }
  }, 120_000);

  it("hands the batch to the serving thread when the worker cannot start", async () => {
    const t = await createTestDatabase("sqlite");
    const broken = createSqliteWriteWorker({ filePath: filePath(t), busyTimeoutMs: 5000, synchronous: "NORMAL", resolveFrom: "/nonexistent/package.json" });
    try {
      await t.db.user.create({ data: { id: "u1", email: "u1@example.com" } });
      const lines: string[] = [];
      const store = createWorkerActivityStore(broken, createPrismaActivityStore(t.db), (line) => lines.push(line));
      await store.write([record("g1", "u1")]);
      await store.write([record("g2", "u1")]);
      expect(await t.db.generation.count()).toBe(2);
      expect(store.stats()).toEqual({ via: "main", offThreadBatches: 0, fallbackBatches: 2 });
      expect(lines).toEqual([expect.stringMatching(/SQLite write worker cannot start.*writing on the serving thread instead/)]);
    } finally {
      await broken.close();
      await t.drop();
    }
  });
});

describe.runIf(await isPostgresAvailable())("activity batches as raw statements on PostgreSQL", () => {
  it("writes exactly what the Prisma path writes and marks settlements recorded", async () => {
    const [viaPrisma, viaRaw] = await Promise.all([createTestDatabase("postgres"), createTestDatabase("postgres")]);
    try {
      for (const t of [viaPrisma, viaRaw]) {
        await t.db.user.create({ data: { id: "u1", email: "u1@example.com" } });
        await t.db.user.create({ data: { id: "u2", email: "u2@example.com" } });
        await t.db.reservation.create({
          data: { id: "g1", userId: "u1", amountNanoUsd: 1n, expiresAt: new Date("2030-01-01T00:00:00Z"), provisionalRecord: "{}", settledAt: new Date() },
        });
      }
      const batches = [
        [record("g1", "u1"), record("g2", "u2", { content: null, attempts: [], throughput: null, ttftMs: null })],
        [record("g3", "u1", { status: "error" }), record("g4", "u1", { createdAt: new Date("2026-11-22T13:00:00.000Z"), modelSlug: null })],
      ];
      const prismaStore = createPrismaActivityStore(viaPrisma.db);
      const rawStore = createRawActivityStore(viaRaw.db, "postgres");
      for (const batch of batches) {
        await prismaStore.write(batch);
        await rawStore.write(batch);
      }
      const expected = await readBack(viaPrisma.db);
      expect(expected.hourly.map((r) => [r.userId, r.requests])).toEqual([
        ["u1", 2],
        ["u1", 1],
        ["u2", 1],
      ]);
      expect(expected.reservations).toEqual([{ id: "g1", recorded: true, provisionalRecord: null }]);
      expect(await readBack(viaRaw.db)).toEqual(expected);
    } finally {
      await viaPrisma.drop();
      await viaRaw.drop();
    }
  });
});
