/**
 * Poison activity records through the real routes, on SQLite and PostgreSQL: an upstream
 * whose finish reason carries NUL or a lone surrogate (a model string with NUL is refused
 * with 404 before any record exists), and a record the database refuses (its account was
 * deleted while the call ran), queued with other accounts' calls. Everyone else's calls
 * are recorded, the bad text is stored as U+FFFD, the refused record is parked with one
 * log line, and /api/health shows the queue. Records are held (ACTIVITY_FLUSH_MS) until
 * the graceful stop writes them, so the test decides when the batch is written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

const chat = (gw: GatewayFixture, key: string, model: string) =>
  fetch(`${gw.url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });

describe("poison activity records", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let gw: GatewayFixture;
      let db: Db;
      let dropTarget: (() => Promise<void>) | undefined;

      beforeAll(async () => {
        const target = kind === "postgres" ? await createTestTarget("postgres") : null;
        dropTarget = target?.dropTarget;
        gw = await startGatewayFixture({ ACTIVITY_FLUSH_MS: "600000" }, target ? { database: target.target } : {});
        db = createDb(gw.dbTarget);
      }, 120_000);
      afterAll(async () => {
        await db?.$disconnect();
        await gw?.stop();
        await dropTarget?.();
      });

      it("records every other call, stores bad text as U+FFFD and parks the refused record with one log line", async () => {
        const keyFor = async (email: string) => {
          const user = await createUser(db, { email, password: "long enough password" });
          return { userId: user.id, key: (await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: email }), new Set(["test/chat"]))).key };
        };
        const other = await keyFor("other@example.com");
        const doomed = await keyFor("doomed@example.com");

        // A model string with NUL names no model: refused before anything is recorded.
        expect((await chat(gw, gw.key, "test/chat:nope\u0000x")).status).toBe(404);
        // Text from the upstream reaches the record: a finish reason with NUL, then one with a lone surrogate.
        const poisoned = [];
        for (const finishReason of ["stop\u0000x", "stop\uD800x"]) {
          gw.fake.setKnobs("cheap", { finishReason });
          const response = await chat(gw, gw.key, "test/any:cheap");
          expect(response.status).toBe(200);
          poisoned.push(response);
        }
        gw.fake.clearKnobs("cheap");
        const poisonIds = poisoned.map((r) => r.headers.get("x-request-id")!);
        const doomedCall = await chat(gw, doomed.key, "test/chat");
        expect(doomedCall.status).toBe(200);
        // The account goes (with its rows) while its record still waits in the queue: the database will refuse it.
        await db.user.delete({ where: { id: doomed.userId } });
        const normal = [];
        for (let i = 0; i < 3; i++) {
          const response = await chat(gw, other.key, "test/chat");
          expect(response.status).toBe(200);
          normal.push(response.headers.get("x-request-id")!);
        }

        const health = await (await fetch(`${gw.url}/api/health`)).json();
        expect(health).toMatchObject({ status: "ok", activityQueue: { queued: 6, parked: 0, dropped: 0, limit: 100_000 } });

        expect(await gw.server.stop()).toBe(0);
        const rows = await db.generation.findMany({ select: { id: true, userId: true, finishReason: true } });
        expect(
          rows
            .filter((r) => r.userId === other.userId)
            .map((r) => r.id)
            .sort(),
        ).toEqual([...normal].sort());
        expect(rows.filter((r) => poisonIds.includes(r.id)).map((r) => r.finishReason)).toEqual(["stop\uFFFDx", "stop\uFFFDx"]);
        expect(rows.some((r) => r.id === doomedCall.headers.get("x-request-id"))).toBe(false);
        const output = gw.server.output();
        expect(output.split("\n").filter((line) => line.includes("generation writer:"))).toEqual([
          expect.stringMatching(
            new RegExp(`^generation writer: parked record ${doomedCall.headers.get("x-request-id")} \\(user ${doomed.userId}\\), the database refused it: .+`),
          ),
        ]);
      });
    });
  }
});
