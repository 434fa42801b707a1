import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { createUser } from "../auth/user-service";
import { createIdempotencyStore } from "./idempotency-store";

const HOUR = 3_600_000;

describe("Idempotency-Key records", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      let userId: string;
      let store: ReturnType<typeof createIdempotencyStore>;
      const t0 = new Date("2026-03-01T12:00:00Z");
      const at = (ms: number) => new Date(t0.getTime() + ms);
      const claim = (key: string, generationId: string, now = t0, requestHash = "hash-a") =>
        store.claim({
          userId,
          key,
          requestHash,
          generationId,
          now,
          expiresAt: new Date(now.getTime() + 24 * HOUR),
          lockExpiresAt: new Date(now.getTime() + 60_000),
        });

      beforeAll(async () => {
        t = await createTestDatabase(kind);
        userId = (await createUser(t.db, { email: "idem@example.com", password: "long enough password" })).id;
        store = createIdempotencyStore(t.db);
      });
      afterAll(async () => t?.drop());

      it("gives a key to exactly one of 20 racing claims; the others see it running", async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claim("race", `gen_${i}`)));
        expect(results.filter((r) => r.claimed)).toHaveLength(1);
        const refused = results.filter((r) => !r.claimed);
        expect(refused).toHaveLength(19);
        for (const r of refused) expect(r).toMatchObject({ claimed: false, record: { state: "running", requestHash: "hash-a", answer: null } });
      });

      it("keeps the owner's answer byte for byte (NUL included) and hands it to later claims", async () => {
        expect(await claim("done", "gen_owner")).toEqual({ claimed: true });
        const body = new TextEncoder().encode('data: {"x":"a\u0000b"}\n\n');
        await store.complete({ userId, key: "done", generationId: "gen_other", answer: { status: 200, headers: {}, body: new Uint8Array([1]) } });
        expect(await claim("done", "gen_later", at(1000))).toMatchObject({ claimed: false, record: { state: "running" } });
        await store.complete({
          userId,
          key: "done",
          generationId: "gen_owner",
          answer: { status: 200, headers: { "content-type": "text/event-stream" }, body },
        });
        const later = await claim("done", "gen_later", at(2000), "hash-b");
        expect(later).toMatchObject({
          claimed: false,
          record: {
            state: "completed",
            requestHash: "hash-a",
            generationId: "gen_owner",
            answer: { status: 200, headers: { "content-type": "text/event-stream" } },
          },
        });
        if (later.claimed) throw new Error("claimed");
        expect(Buffer.from(later.record.answer!.body!)).toEqual(Buffer.from(body));
      });

      it("lets only the owner release a claim; then the key is free", async () => {
        await claim("released", "gen_a");
        await store.release({ userId, key: "released", generationId: "gen_b" });
        expect((await claim("released", "gen_c")).claimed).toBe(false);
        await store.release({ userId, key: "released", generationId: "gen_a" });
        expect(await claim("released", "gen_c")).toEqual({ claimed: true });
      });

      it("takes over a running claim whose lock ran out; the old owner can no longer renew or complete it", async () => {
        await claim("crashed", "gen_dead");
        expect(await store.renew({ userId, key: "crashed", generationId: "gen_dead", lockExpiresAt: at(30_000) })).toBe(true);
        expect((await claim("crashed", "gen_new", at(29_000))).claimed).toBe(false);
        expect(await claim("crashed", "gen_new", at(30_000))).toEqual({ claimed: true });
        expect(await store.renew({ userId, key: "crashed", generationId: "gen_dead", lockExpiresAt: at(90_000) })).toBe(false);
        await store.complete({ userId, key: "crashed", generationId: "gen_dead", answer: { status: 200, headers: {}, body: null } });
        expect(await t.db.idempotencyRecord.findUniqueOrThrow({ where: { userId_key: { userId, key: "crashed" } } })).toMatchObject({
          state: "running",
          generationId: "gen_new",
        });
      });

      it("frees a completed key after 24 hours, for any request, and purges expired records", async () => {
        await claim("daily", "gen_1");
        await store.complete({ userId, key: "daily", generationId: "gen_1", answer: { status: 200, headers: {}, body: new Uint8Array([1]) } });
        expect((await claim("daily", "gen_2", at(24 * HOUR - 1), "hash-b")).claimed).toBe(false);
        expect(await claim("daily", "gen_2", at(24 * HOUR), "hash-b")).toEqual({ claimed: true });
        expect(await t.db.idempotencyRecord.findUniqueOrThrow({ where: { userId_key: { userId, key: "daily" } } })).toMatchObject({
          state: "running",
          requestHash: "hash-b",
          responseBody: null,
          responseStatus: null,
        });
        const before = await t.db.idempotencyRecord.count();
        expect(await store.purgeExpired(at(48 * HOUR - 1))).toBe(before - 1);
        expect(await t.db.idempotencyRecord.findMany({ select: { key: true } })).toEqual([{ key: "daily" }]);
      });
    });
  }
});
