import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import type { Db } from "../db/client";
import type { GenerationRecord } from "../gateway/ports/gateway-deps";
import { createGenerationWriter } from "./generation-writer";
import { toStorableText } from "./stored-text";

function record(id: string, userId: string, extra: Partial<GenerationRecord> = {}): GenerationRecord {
  return {
    id,
    userId,
    apiKeyId: null,
    api: "chat",
    requestedModel: "m/x",
    modelSlug: "m/x",
    providerSlug: "p1",
    endpointId: null,
    streamed: false,
    status: "success",
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    finishReason: "stop",
    promptTokens: 10,
    completionTokens: 5,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costNanoUsd: 100n,
    costBreakdown: null,
    ttftMs: 20,
    latencyMs: 40,
    throughput: 50,
    createdAt: new Date("2026-11-22T12:00:00Z"),
    attempts: [],
    content: null,
    ...extra,
  };
}

describe("toStorableText", () => {
  it("replaces NUL and lone surrogates, and keeps valid text, pairs included", () => {
    expect(toStorableText("a\u0000b")).toBe("a\uFFFDb");
    expect(toStorableText("x\uD800y\uDC00")).toBe("x\uFFFDy\uFFFD");
    expect(toStorableText("emoji 😀 ok")).toBe("emoji 😀 ok");
  });
});

describe("the generation writer with poison records", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      beforeAll(async () => {
        t = await createTestDatabase(kind);
      });
      afterAll(async () => t?.drop());

      it("stores NUL and lone surrogates as U+FFFD in every text column", async () => {
        const userId = (await t.db.user.create({ data: { email: "poison@example.com" } })).id;
        const writer = createGenerationWriter(t.db, { flushIntervalMs: 60_000, log: () => {} });
        writer.record(
          record("gen_nul", userId, {
            requestedModel: "m/\u0000x",
            status: "error",
            httpStatus: 404,
            errorType: "model_not_found",
            errorMessage: "no model m/\u0000x",
          }),
        );
        writer.record(
          record("gen_surrogate", userId, {
            requestedModel: "m/\uD800x",
            attempts: [
              {
                seq: 0,
                providerSlug: "p1",
                endpointId: "ep_1",
                status: "error",
                httpStatus: 500,
                errorType: "provider_error",
                errorMessage: "bad \uDC00\u0000",
                durationMs: 5,
                served: false,
                startedAt: new Date(),
              },
            ],
            content: { requestBody: '{"m":"\u0000"}', responseBody: "\uD83D", truncated: false },
          }),
        );
        await writer.stop();
        expect(writer.stats()).toMatchObject({ queued: 0, parked: 0, dropped: 0 });
        const rows = await t.db.generation.findMany({ orderBy: { id: "asc" }, include: { attempts: true, content: true } });
        expect(rows.map((r) => [r.id, r.requestedModel, r.errorMessage])).toEqual([
          ["gen_nul", "m/\uFFFDx", "no model m/\uFFFDx"],
          ["gen_surrogate", "m/\uFFFDx", null],
        ]);
        expect(rows[1].attempts[0].errorMessage).toBe("bad \uFFFD\uFFFD");
        expect(rows[1].content).toMatchObject({ requestBody: '{"m":"\uFFFD"}', responseBody: "\uFFFD" });
      });

      it("parks a record the database refuses, with one log line, and writes everyone else's", async () => {
        const users = await Promise.all(["a", "b"].map(async (name) => (await t.db.user.create({ data: { email: `${name}@example.com` } })).id));
        const lines: string[] = [];
        const writer = createGenerationWriter(t.db, { flushIntervalMs: 60_000, maxBatch: 8, log: (line) => lines.push(line) });
        const good: string[] = [];
        for (let i = 0; i < 20; i++) {
          // A record of an account that no longer exists (deleted while its call ran): refused by the foreign key.
          if (i === 7) writer.record(record("gen_orphan", "deleted-user"));
          const id = `gen_ok_${String(i).padStart(2, "0")}`;
          good.push(id);
          writer.record(record(id, users[i % 2]));
        }
        await writer.flush();
        expect(writer.stats()).toMatchObject({ queued: 0, parked: 1, dropped: 0, databaseWritable: true });
        expect((await t.db.generation.findMany({ where: { id: { startsWith: "gen_ok_" } }, orderBy: { id: "asc" } })).map((g) => g.id)).toEqual(good);
        expect(lines).toEqual([expect.stringMatching(/^generation writer: parked record gen_orphan \(user deleted-user\), the database refused it: .+/)]);
        // The rollups hold the written calls exactly once.
        const rollup = await t.db.usageRollup.aggregate({ _sum: { requests: true }, where: { userId: { in: users } } });
        expect(rollup._sum.requests).toBe(20);
        await writer.stop();
      });
    });
  }
});

describe("the generation writer while the database is down", () => {
  /** A database that refuses every write and does not answer a ping, until `up` is set. */
  function flakyDb(state: { up: boolean; writes: number }): { db: Db; databaseAnswers: () => Promise<boolean> } {
    const refuse = () => {
      state.writes += 1;
      return Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
    };
    const table = { createMany: () => ({}), upsert: () => ({}) };
    const db = {
      $transaction: () => (state.up ? Promise.resolve([]) : refuse()),
      generation: table,
      generationAttempt: table,
      generationContent: table,
      usageRollup: table,
      usageDailyRollup: table,
      reservation: { updateMany: () => ({}) },
    } as unknown as Db;
    return { db, databaseAnswers: async () => state.up };
  }

  it("keeps the records (parks none), logs the outage once, and writes them when it is back", async () => {
    const state = { up: false, writes: 0 };
    const lines: string[] = [];
    const { db, databaseAnswers } = flakyDb(state);
    const writer = createGenerationWriter(db, { flushIntervalMs: 60_000, maxBatch: 4, maxQueued: 10, databaseAnswers, log: (line) => lines.push(line) });
    for (let i = 0; i < 12; i++) writer.record(record(`gen_${i}`, "u1"));
    for (let round = 0; round < 5; round++) await writer.flush();
    expect(writer.stats()).toEqual({ queued: 10, limit: 10, parked: 0, dropped: 2, databaseWritable: false, via: "main", offThreadBatches: 0 });
    expect(state.writes).toBe(5);
    expect(lines).toEqual([
      expect.stringMatching(/records are waiting for the database; dropping new ones/),
      expect.stringMatching(/the database is unavailable \(connect ECONNREFUSED .*\); 10 record\(s\) wait for it/),
    ]);
    state.up = true;
    await writer.flush();
    expect(writer.stats()).toEqual({ queued: 0, limit: 10, parked: 0, dropped: 2, databaseWritable: true, via: "main", offThreadBatches: 0 });
    expect(lines.at(-1)).toMatch(/the database is back/);
    await writer.stop();
  });

  it("catches up on demand: what is queued is written before caughtUp resolves, and a database that hangs costs at most the wait", async () => {
    let written = 0;
    let hang = false;
    const table = { createMany: () => ({}), upsert: () => ({}) };
    const db = {
      $transaction: () => (hang ? new Promise(() => {}) : Promise.resolve([]).then((result) => ((written += 1), result))),
      generation: table,
      generationAttempt: table,
      generationContent: table,
      usageRollup: table,
      usageDailyRollup: table,
      reservation: { updateMany: () => ({}) },
    } as unknown as Db;
    const writer = createGenerationWriter(db, { flushIntervalMs: 3_600_000, databaseAnswers: async () => true, log: () => {} });
    // Nothing queued: nothing to wait for.
    await writer.caughtUp();
    expect(written).toBe(0);
    writer.record(record("gen_read_own", "u1"));
    expect(writer.stats().queued).toBe(1);
    await writer.caughtUp();
    expect(writer.stats().queued).toBe(0);
    expect(written).toBe(1);

    hang = true;
    writer.record(record("gen_stuck", "u1"));
    const started = Date.now();
    await writer.caughtUp(50);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(writer.stats().queued).toBe(1);
  });

  it("writes on its own timer while records wait, retries through an outage, and does not wake for an empty queue", async () => {
    vi.useFakeTimers();
    try {
      const state = { up: false, writes: 0 };
      const { db, databaseAnswers } = flakyDb(state);
      const writer = createGenerationWriter(db, { flushIntervalMs: 200, databaseAnswers, log: () => {} });
      // Nothing queued: no timer at all, however long the server idles.
      expect(vi.getTimerCount()).toBe(0);
      writer.record(record("gen_timer", "u1"));
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(1_000);
      // Refused every 200 ms while the database is down, with no new record to prompt a retry.
      expect(state.writes).toBeGreaterThanOrEqual(4);
      expect(writer.stats().queued).toBe(1);
      state.up = true;
      await vi.advanceTimersByTimeAsync(200);
      expect(writer.stats()).toMatchObject({ queued: 0, databaseWritable: true });
      expect(vi.getTimerCount()).toBe(0);
      await writer.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
