/**
 * Idempotency-Key through the real routes, on SQLite and PostgreSQL: a retry with the
 * same key and body is replayed without an upstream call or a charge; the same key with
 * another body is a 422 and cannot make a call free or get past a key's spend limit; a
 * retry while the first runs is a 409; failed, abandoned and expired first attempts let
 * the key run anew; an answer too large to keep is refused clearly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { credit, verifyLedger } from "@/lib/billing/ledger";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";
import { pollFor } from "@/tests/support/poll";

type Surface = "chat" | "messages";
const PATHS: Record<Surface, string> = { chat: "/api/v1/chat/completions", messages: "/api/anthropic/v1/messages" };
const MAX_STORED_BYTES = 8192;

const until = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> => pollFor(what, probe, timeoutMs);

describe("Idempotency-Key", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let gw: GatewayFixture;
      let db: Db;
      let dropTarget: (() => Promise<void>) | undefined;
      let accounts = 0;

      beforeAll(async () => {
        const target = kind === "postgres" ? await createTestTarget("postgres") : null;
        dropTarget = target?.dropTarget;
        gw = await startGatewayFixture({ IDEMPOTENCY_MAX_BYTES: String(MAX_STORED_BYTES) }, target ? { database: target.target } : {});
        db = createDb(gw.dbTarget);
      }, 120_000);
      afterAll(async () => {
        await db?.$disconnect();
        await gw?.stop();
        await dropTarget?.();
      });

      async function account(spendLimitDayUsd?: string): Promise<{ userId: string; key: string }> {
        const previous = process.env.TRIAL_CREDIT_USD;
        process.env.TRIAL_CREDIT_USD = "0";
        const user = await createUser(db, { email: `idem-${++accounts}-${kind}@example.com`, password: "long enough password" });
        process.env.TRIAL_CREDIT_USD = previous;
        await credit(db, { userId: user.id, kind: "top_up", amountNanoUsd: 1_000_000_000n, idempotencyKey: `test-top-up:${user.id}` });
        const { key } = await createApiKey(
          db,
          user.id,
          createApiKeyInputSchema.parse({ name: "idem", ...(spendLimitDayUsd ? { spendLimitDayUsd } : {}) }),
          new Set(),
        );
        return { userId: user.id, key };
      }

      const call = (key: string, surface: Surface, body: Record<string, unknown>, idempotencyKey?: string, signal?: AbortSignal) =>
        fetch(`${gw.url}${PATHS[surface]}`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${key}`,
            "content-type": "application/json",
            ...(idempotencyKey !== undefined ? { "idempotency-key": idempotencyKey } : {}),
          },
          body: JSON.stringify(body),
          signal,
        });
      const chatBody = (prompt: string, extra: Record<string, unknown> = {}) => ({
        model: "test/chat",
        messages: [{ role: "user", content: prompt }],
        ...extra,
      });
      const pinned = (provider: string, prompt: string, extra: Record<string, unknown> = {}) =>
        chatBody(prompt, { model: "test/any", provider: { routing: { type: "order", providers: [provider] } }, ...extra });
      const charges = (userId: string) => db.ledgerEntry.findMany({ where: { userId, kind: "charge" }, orderBy: { createdAt: "asc" } });
      const upstreamCalls = () => gw.fake.stats().total;
      const callsTo = (provider: string) => gw.fake.stats().byProvider[provider]?.calls ?? 0;
      const record = (userId: string, key: string) => db.idempotencyRecord.findUnique({ where: { userId_key: { userId, key } } });

      it("refuses the same key with another prompt (422 in each surface's format): one upstream call, one charge, the ledger agrees", async () => {
        const { userId, key } = await account();
        const before = upstreamCalls();
        const first = await call(key, "chat", chatBody("first prompt"), "order-1");
        expect(first.status).toBe(200);
        await first.text();
        const other = await call(key, "chat", chatBody("a different prompt"), "order-1");
        expect(other.status).toBe(422);
        expect(other.headers.get("x-should-retry")).toBe("false");
        expect((await other.json()).error).toMatchObject({
          code: "422",
          type: "idempotency_key_reused",
          message: expect.stringContaining("Idempotency-Key"),
          param: "Idempotency-Key",
        });
        // The same bytes on the other surface are another request too.
        const messages = await call(key, "messages", chatBody("first prompt"), "order-1");
        expect(messages.status).toBe(422);
        expect(await messages.json()).toMatchObject({
          type: "error",
          error: { type: "invalid_request_error", message: expect.stringContaining("Idempotency-Key") },
        });
        expect(upstreamCalls() - before).toBe(1);
        expect(await charges(userId)).toHaveLength(1);
        expect((await verifyLedger(db)).mismatches).toEqual([]);
      });

      for (const surface of ["chat", "messages"] as const) {
        for (const stream of [false, true]) {
          it(`replays a ${stream ? "streamed" : "JSON"} ${surface} answer to a retry with the same key and body: same bytes and headers, no upstream call, one charge, one activity row`, async () => {
            const { userId, key } = await account();
            const body = surface === "chat" ? chatBody("replay me", { stream }) : chatBody("replay me", { model: "test/claude", max_tokens: 20, stream });
            const before = upstreamCalls();
            const first = await call(key, surface, body, `replay-${surface}-${stream}`);
            const firstText = await first.text();
            expect(first.status).toBe(200);
            expect(first.headers.get("idempotent-replayed")).toBeNull();
            const retry = await call(key, surface, body, ` replay-${surface}-${stream} `); // trimmed: the same key
            const retryText = await retry.text();
            expect(retry.status).toBe(200);
            expect(retry.headers.get("idempotent-replayed")).toBe("true");
            expect(retryText).toBe(firstText);
            expect(retryText).toContain(stream ? (surface === "chat" ? "data: [DONE]" : "event: message_stop") : '"usage"');
            for (const header of ["content-type", "x-request-id", "x-switchyard-provider", ...(stream ? [] : ["x-switchyard-cost"])]) {
              expect(retry.headers.get(header), header).toBe(first.headers.get(header));
              expect(first.headers.get(header), header).toBeTruthy();
            }
            expect(upstreamCalls() - before).toBe(1);
            expect(await charges(userId)).toHaveLength(1);
            // Records are written in order: once a later call's row is in, a replay's row would be too.
            const marker = await call(key, "chat", chatBody("marker"));
            await marker.text();
            const markerId = marker.headers.get("x-request-id")!;
            await until("the marker's activity row", () => db.generation.findUnique({ where: { id: markerId } }));
            expect((await db.generation.findMany({ where: { userId }, select: { id: true } })).map((g) => g.id).sort()).toEqual(
              [first.headers.get("x-request-id"), markerId].sort(),
            );
          });
        }
      }

      it("answers 409 with Retry-After while the first request still streams, then replays it once it has ended", async () => {
        const { userId, key } = await account();
        const body = pinned("pausing", "slow one", { stream: true });
        const before = callsTo("pausing");
        const first = await call(key, "chat", body, "in-flight");
        expect(first.status).toBe(200);
        const reader = first.body!.getReader();
        let firstText = "";
        while (!firstText.includes("data: ")) firstText += new TextDecoder().decode((await reader.read()).value);
        const during = await call(key, "chat", body, "in-flight");
        expect(during.status).toBe(409);
        expect(during.headers.get("retry-after")).toBe("1");
        expect(during.headers.get("x-should-retry")).toBeNull();
        expect((await during.json()).error).toMatchObject({ code: "409", type: "idempotency_request_in_progress" });
        const during2 = await call(key, "messages", { model: "test/claude", max_tokens: 5, messages: [{ role: "user", content: "x" }] }, "in-flight");
        expect(during2.status).toBe(422);
        await during2.text();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          firstText += new TextDecoder().decode(value);
        }
        expect(firstText).toContain("data: [DONE]");
        const after = await call(key, "chat", body, "in-flight");
        expect(after.headers.get("idempotent-replayed")).toBe("true");
        expect(await after.text()).toBe(firstText);
        expect(callsTo("pausing") - before).toBe(1);
        expect(await charges(userId)).toHaveLength(1);
      });

      it("cannot get past a key's spend limit by reusing a key with different bodies", async () => {
        const { userId } = await account();
        const { key } = await createApiKey(db, userId, createApiKeyInputSchema.parse({ name: "capped", spendLimitDayUsd: "0.02" }), new Set());
        const flat = (prompt: string) => chatBody(prompt, { model: "test/flat" }); // $0.01 a call
        const before = upstreamCalls();
        expect((await call(key, "chat", flat("one"), "same")).status).toBe(200);
        for (const prompt of ["two", "three", "four"]) expect((await call(key, "chat", flat(prompt), "same")).status).toBe(422);
        expect((await call(key, "chat", flat("five"), "fresh-1")).status).toBe(200);
        const refused = await call(key, "chat", flat("six"), "fresh-2");
        expect(refused.status).toBe(402);
        expect((await refused.json()).error.type).toBe("spend_limit_daily_exceeded");
        expect(upstreamCalls() - before).toBe(2);
        expect((await charges(userId)).map((c) => c.amountNanoUsd)).toEqual([-10_000_000n, -10_000_000n]);
        expect((await db.apiKey.findFirstOrThrow({ where: { userId, name: "capped" } })).spentNanoUsd).toBe(20_000_000n);
        expect((await verifyLedger(db)).mismatches).toEqual([]);
      });

      it("runs a key anew once its record is past 24 hours, and charges the new call", async () => {
        const { userId, key } = await account();
        const body = chatBody("expires");
        const first = await call(key, "chat", body, "daily");
        await first.text();
        await db.idempotencyRecord.updateMany({ where: { userId, key: "daily" }, data: { expiresAt: new Date(Date.now() - 1000) } });
        const before = upstreamCalls();
        const again = await call(key, "chat", body, "daily");
        await again.text();
        expect(again.status).toBe(200);
        expect(again.headers.get("idempotent-replayed")).toBeNull();
        expect(again.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
        expect(upstreamCalls() - before).toBe(1);
        expect((await charges(userId)).map((c) => c.generationId)).toEqual([first.headers.get("x-request-id"), again.headers.get("x-request-id")]);
      });

      it("lets a retry run anew after a first attempt that failed before anything was served, and charges only the success", async () => {
        const { userId, key } = await account();
        gw.fake.setKnobs("cheap", { failStatus: 503, failTimes: 1 });
        const before = callsTo("cheap");
        try {
          const body = pinned("cheap", "flaky");
          const failed = await call(key, "chat", body, "flaky");
          expect(failed.status).toBe(503);
          await failed.text();
          expect(await record(userId, "flaky")).toBeNull();
          const retry = await call(key, "chat", body, "flaky");
          expect(retry.status).toBe(200);
          expect(retry.headers.get("idempotent-replayed")).toBeNull();
          const retryText = await retry.text();
          const replay = await call(key, "chat", body, "flaky");
          expect(replay.headers.get("idempotent-replayed")).toBe("true");
          expect(await replay.text()).toBe(retryText);
          expect(callsTo("cheap") - before).toBe(2);
          expect(await charges(userId)).toHaveLength(1);
        } finally {
          gw.fake.clearKnobs("cheap");
        }
      });

      it("lets a retry run anew after the client abandoned the stream, charging each call for what it produced", async () => {
        const { userId, key } = await account();
        const body = pinned("pausing", "abandoned", { stream: true });
        const controller = new AbortController();
        const first = await call(key, "chat", body, "left", controller.signal);
        const reader = first.body!.getReader();
        let received = "";
        while (!received.includes("data: ")) received += new TextDecoder().decode((await reader.read()).value);
        controller.abort();
        await until("the abandoned stream's claim to be released", async () => (await record(userId, "left")) === null);
        const retry = await call(key, "chat", body, "left");
        expect(retry.status).toBe(200);
        expect(retry.headers.get("idempotent-replayed")).toBeNull();
        expect(await retry.text()).toContain("data: [DONE]");
        const rows = await until("two charges", async () => ((await charges(userId)).length === 2 ? charges(userId) : null));
        expect(rows.map((c) => c.generationId).sort()).toEqual([first.headers.get("x-request-id"), retry.headers.get("x-request-id")].sort());
        expect((await record(userId, "left"))?.state).toBe("completed");
      });

      it("refuses a retry whose answer was too large to keep with a clear 409, never a second call", async () => {
        const { userId, key } = await account();
        gw.fake.setKnobs("dear", { outputTokens: 3000 });
        const before = callsTo("dear");
        try {
          const body = pinned("dear", "long answer", { max_tokens: 4000 });
          const first = await call(key, "chat", body, "big");
          expect(first.status).toBe(200);
          expect((await first.text()).length).toBeGreaterThan(MAX_STORED_BYTES);
          const retry = await call(key, "chat", body, "big");
          expect(retry.status).toBe(409);
          expect(retry.headers.get("x-should-retry")).toBe("false");
          expect((await retry.json()).error).toMatchObject({
            type: "idempotency_answer_not_stored",
            message: expect.stringContaining(first.headers.get("x-request-id")!),
          });
          expect(callsTo("dear") - before).toBe(1);
          expect(await charges(userId)).toHaveLength(1);
        } finally {
          gw.fake.clearKnobs("dear");
        }
      });

      it("refuses an unusable key with 400 naming the header, before any upstream call", async () => {
        const { key } = await account();
        const before = upstreamCalls();
        for (const bad of ["   ", "k".repeat(256), "caf\u00e9"]) {
          const chat = await call(key, "chat", chatBody("x"), bad);
          expect(chat.status).toBe(400);
          expect((await chat.json()).error).toMatchObject({
            type: "invalid_params",
            param: "Idempotency-Key",
            message: expect.stringContaining("Idempotency-Key"),
          });
          const messages = await call(key, "messages", { model: "test/claude", max_tokens: 5, messages: [{ role: "user", content: "x" }] }, bad);
          expect(messages.status).toBe(400);
          expect((await messages.json()).error).toMatchObject({ type: "invalid_request_error", message: expect.stringContaining("Idempotency-Key") });
        }
        expect((await call(key, "chat", chatBody("x"), "k".repeat(255))).status).toBe(200);
        expect(upstreamCalls() - before).toBe(1);
      });
    });
  }
});
