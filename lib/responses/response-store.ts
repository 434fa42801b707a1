/**
 * Stored OpenAI Responses answers over the StoredResponse table: the gateway's
 * ResponseStore port (keep, and the conversation a previous_response_id continues) and
 * the reads of GET / DELETE /api/v1/responses/{id} and …/input_items.
 *
 * Writes run after the answer, never on its path (answer-memory.ts announces an answer
 * before its id reaches the client). Every read of an id first waits for that id's write
 * still in flight in this process, so the client that just got an answer always finds it
 * here; another instance sees it once the write commits, a few milliseconds later. A write
 * that fails is logged and lost: the answer itself was served and charged already.
 */
import { z } from "zod";
import type { Db } from "../db/client.ts";
import type { KeptResponse, PendingResponse, ResponseStore, StoredConversation } from "../gateway/ports/gateway-deps.ts";

const DAY_MS = 86_400_000;
const itemsSchema = z.array(z.record(z.string(), z.unknown()));
const objectSchema = z.record(z.string(), z.unknown());

export type StoredResponseView = StoredConversation & { userId: string; response: Record<string, unknown> };

export type ResponseStoreService = ResponseStore & {
  /** The stored response with its output, this account's and unexpired, or null. */
  find(id: string, userId: string): Promise<StoredResponseView | null>;
  /** Deletes this account's stored response; false when there was none. */
  remove(id: string, userId: string): Promise<boolean>;
  /** Rows past their expiry, deleted; the count. */
  purgeExpired(now?: Date): Promise<number>;
  /** Waits for every write in flight (a graceful stop). */
  flush(): Promise<void>;
};

/** RESPONSE_RETENTION_DAYS (default 30): how long a stored response can be read and continued. */
export function responseRetentionDays(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const days = Number(env.RESPONSE_RETENTION_DAYS ?? 30);
  return Number.isFinite(days) && days > 0 ? days : 30;
}

/** Deletes stored responses past their expiry (start-up, the daily retention timer); the count. */
export async function purgeExpiredResponses(db: Db, now = new Date()): Promise<number> {
  return (await db.storedResponse.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}

export function createResponseStore(db: Db, options: { retentionDays: number; now?: () => number }): ResponseStoreService {
  const now = options.now ?? Date.now;
  /** id → its write in flight (or the stream it waits for); settles, never rejects. */
  const inFlight = new Map<string, Promise<void>>();

  async function write(kept: KeptResponse): Promise<void> {
    const data = {
      id: kept.id,
      userId: kept.userId,
      apiKeyId: kept.apiKeyId,
      model: kept.model,
      createdAt: kept.createdAt,
      expiresAt: new Date(kept.createdAt.getTime() + options.retentionDays * DAY_MS),
      inputItems: JSON.stringify(kept.inputItems),
      outputItems: JSON.stringify(kept.outputItems),
      response: JSON.stringify(kept.response),
    };
    await db.storedResponse.create({ data });
  }

  function begin(id: string): PendingResponse {
    let settle!: (kept: KeptResponse | null) => void;
    const decided = new Promise<KeptResponse | null>((resolve) => (settle = resolve));
    const done = decided
      .then((kept) => (kept ? write(kept) : undefined))
      .catch((error: Error) => console.error(`responses: storing ${id} failed: ${error.message}`))
      .finally(() => {
        if (inFlight.get(id) === done) inFlight.delete(id);
      });
    inFlight.set(id, done);
    return { keep: (kept) => settle(kept), drop: () => settle(null) };
  }

  async function row(id: string, userId: string) {
    await inFlight.get(id);
    const found = await db.storedResponse.findUnique({ where: { id } });
    return found && found.userId === userId && found.expiresAt.getTime() > now() ? found : null;
  }

  return {
    begin,
    async conversation(id, userId) {
      const found = await row(id, userId);
      return found ? { id, inputItems: itemsSchema.parse(JSON.parse(found.inputItems)), outputItems: itemsSchema.parse(JSON.parse(found.outputItems)) } : null;
    },
    async find(id, userId) {
      const found = await row(id, userId);
      if (!found) return null;
      return {
        id,
        userId,
        inputItems: itemsSchema.parse(JSON.parse(found.inputItems)),
        outputItems: itemsSchema.parse(JSON.parse(found.outputItems)),
        response: objectSchema.parse(JSON.parse(found.response)),
      };
    },
    async remove(id, userId) {
      await inFlight.get(id);
      const { count } = await db.storedResponse.deleteMany({ where: { id, userId, expiresAt: { gt: new Date(now()) } } });
      return count > 0;
    },
    purgeExpired: (at = new Date(now())) => purgeExpiredResponses(db, at),
    async flush() {
      await Promise.all([...inFlight.values()]);
    },
  };
}
