/**
 * The gateway's IdempotencyStore over the IdempotencyRecord table. Every step is one
 * statement, so it is safe across instances on SQLite and PostgreSQL alike: a claim is an
 * INSERT … ON CONFLICT DO NOTHING (the unique (userId, key) index picks one winner), or a
 * conditional UPDATE that takes over a record whose 24 hours are over or whose running
 * owner stopped renewing its lock. Renew, complete and release match the owner's
 * generation id, so a request that lost its claim cannot overwrite its successor's.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import type { IdempotencyRecordView, IdempotencyStore } from "../gateway/ports/gateway-deps.ts";

const headersSchema = z.record(z.string(), z.string());

type Row = {
  requestHash: string;
  state: string;
  generationId: string;
  responseStatus: number | null;
  responseHeaders: string | null;
  responseBody: Uint8Array | null;
};

function viewOf(row: Row): IdempotencyRecordView {
  const completed = row.state === "completed" && row.responseStatus !== null;
  return {
    requestHash: row.requestHash,
    state: completed ? "completed" : "running",
    generationId: row.generationId,
    answer: completed ? { status: row.responseStatus!, headers: headersSchema.parse(JSON.parse(row.responseHeaders ?? "{}")), body: row.responseBody } : null,
  };
}

export function createIdempotencyStore(db: Db): IdempotencyStore & { purgeExpired(now?: Date): Promise<number> } {
  return {
    async claim({ userId, key, requestHash, generationId, now, expiresAt, lockExpiresAt }) {
      // A record can vanish between the steps (released, purged): then the INSERT is tried again.
      for (let round = 0; round < 3; round++) {
        const inserted = await db.$executeRaw`
          INSERT INTO "IdempotencyRecord" ("id", "userId", "key", "requestHash", "state", "generationId", "createdAt", "expiresAt", "lockExpiresAt")
          VALUES (${randomUUID()}, ${userId}, ${key}, ${requestHash}, 'running', ${generationId}, ${now}, ${expiresAt}, ${lockExpiresAt})
          ON CONFLICT ("userId", "key") DO NOTHING`;
        if (inserted === 1) return { claimed: true };
        const taken = await db.idempotencyRecord.updateMany({
          where: { userId, key, OR: [{ expiresAt: { lte: now } }, { state: "running", lockExpiresAt: { lte: now } }] },
          data: {
            requestHash,
            state: "running",
            generationId,
            responseStatus: null,
            responseHeaders: null,
            responseBody: null,
            createdAt: now,
            expiresAt,
            lockExpiresAt,
          },
        });
        if (taken.count === 1) return { claimed: true };
        const row = await db.idempotencyRecord.findUnique({ where: { userId_key: { userId, key } } });
        if (row) return { claimed: false, record: viewOf(row) };
      }
      throw new Error(`idempotency: could not claim or read the record for key ${JSON.stringify(key)}`);
    },
    async renew({ userId, key, generationId, lockExpiresAt }) {
      const renewed = await db.idempotencyRecord.updateMany({ where: { userId, key, generationId, state: "running" }, data: { lockExpiresAt } });
      return renewed.count === 1;
    },
    async complete({ userId, key, generationId, answer }) {
      await db.idempotencyRecord.updateMany({
        where: { userId, key, generationId, state: "running" },
        data: {
          state: "completed",
          responseStatus: answer.status,
          responseHeaders: JSON.stringify(answer.headers),
          responseBody: answer.body ? Buffer.from(answer.body) : null,
          lockExpiresAt: null,
        },
      });
    },
    async release({ userId, key, generationId }) {
      await db.idempotencyRecord.deleteMany({ where: { userId, key, generationId, state: "running" } });
    },
    async purgeExpired(now = new Date()) {
      return (await db.idempotencyRecord.deleteMany({ where: { expiresAt: { lte: now } } })).count;
    },
  };
}
